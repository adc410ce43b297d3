package io.latchkey.authorization.oauth;

import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.support.RemoteAddress;
import io.latchkey.authorization.throttle.LoginThrottle;
import io.latchkey.authorization.throttle.ThrottledException;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.util.Assert;

/**
 * Client-secret authentication with guessing throttled, in front of Spring's own
 * provider: a secret that was verified recently (see {@link VerifiedSecretCache}) is let
 * through untouched, so a resource service's every call stays cheap; any other attempt is
 * refused with 429 while the bucket of the client at this address, or of the address, is
 * empty, before any BCrypt work, and a failure is counted and audited as an attempt.
 * Guessing at one address never locks the client out at another, even while no secret is
 * known to be verified (after a restart).
 */
public final class ThrottledClientSecretAuthenticationProvider implements AuthenticationProvider {

	private final AuthenticationProvider clientSecrets;

	private final RegisteredClientRepository clients;

	private final VerifiedSecretCache verified;

	private final LoginThrottle throttle;

	private final AuditLog audit;

	public ThrottledClientSecretAuthenticationProvider(AuthenticationProvider clientSecrets,
			RegisteredClientRepository clients, VerifiedSecretCache verified, LoginThrottle throttle, AuditLog audit) {
		Assert.notNull(clientSecrets, "clientSecrets cannot be null");
		Assert.notNull(clients, "clients cannot be null");
		Assert.notNull(verified, "verified cannot be null");
		Assert.notNull(throttle, "throttle cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		this.clientSecrets = clientSecrets;
		this.clients = clients;
		this.verified = verified;
		this.throttle = throttle;
		this.audit = audit;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		OAuth2ClientAuthenticationToken attempt = (OAuth2ClientAuthenticationToken) authentication;
		if (!usesSecret(attempt)) {
			return this.clientSecrets.authenticate(authentication);
		}
		String clientId = String.valueOf(attempt.getPrincipal());
		String address = RemoteAddress.current();
		LoginThrottle.Key[] buckets = LoginThrottle.clientSecret(clientId, address);
		if (!isVerifiedAlready(clientId, attempt.getCredentials())) {
			try {
				this.throttle.check(buckets);
			}
			catch (ThrottledException ex) {
				this.audit.attempt("client.throttled", "client", clientId, address);
				throw new ClientThrottledException(ex.retryAfterSeconds());
			}
		}
		try {
			return this.clientSecrets.authenticate(authentication);
		}
		catch (OAuth2AuthenticationException ex) {
			if (OAuth2ErrorCodes.INVALID_CLIENT.equals(ex.getError().getErrorCode())) {
				this.throttle.failed(buckets);
				this.audit.attempt("client.authentication_failed", "client", clientId, address);
			}
			throw ex;
		}
	}

	private static boolean usesSecret(OAuth2ClientAuthenticationToken attempt) {
		return ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(attempt.getClientAuthenticationMethod())
				|| ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(attempt.getClientAuthenticationMethod());
	}

	private boolean isVerifiedAlready(String clientId, Object secret) {
		if (secret == null) {
			return false;
		}
		RegisteredClient client = this.clients.findByClientId(clientId);
		return client != null && client.getClientSecret() != null
				&& this.verified.isVerified(secret.toString(), client.getClientSecret());
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return this.clientSecrets.supports(authentication);
	}

}
