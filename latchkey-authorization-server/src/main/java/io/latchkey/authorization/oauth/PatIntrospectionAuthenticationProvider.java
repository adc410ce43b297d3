package io.latchkey.authorization.oauth;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.latchkey.authorization.support.RemoteAddress;
import io.latchkey.authorization.token.TokenVerifier;
import io.latchkey.authorization.token.VerifiedToken;
import io.latchkey.core.AddressRange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.util.Assert;

/**
 * Answers RFC 7662 introspection for personal access tokens inside Spring Authorization
 * Server's own endpoint. It takes the stock provider's place and wraps it: it refuses
 * clients not allowed to introspect, answers every string with our prefix (active with
 * the owner's current rights, or exactly {@code {"active":false}}), and hands every other
 * token to the stock provider. A resource service may report the integration's address as
 * {@value AddressRange#CLIENT_ADDRESS_PARAMETER}: a token with an allowlist is active
 * only for an address inside it, and the address is recorded among the token's recent
 * ones. A token whose audience does not name the asking client is not active for it (RFC
 * 7662 section 4), and nothing of that question is recorded. (Wrapping rather than
 * preceding it matters: {@code ProviderManager} would swallow a refusal from one provider
 * and let the next one answer.)
 */
public final class PatIntrospectionAuthenticationProvider implements AuthenticationProvider {

	private final Log logger = LogFactory.getLog(getClass());

	private final TokenVerifier verifier;

	private final IntrospectingClients clients;

	private final AuthenticationProvider otherTokens;

	private Counter active;

	private Counter inactive;

	private Counter refused;

	public PatIntrospectionAuthenticationProvider(TokenVerifier verifier, IntrospectingClients clients,
			AuthenticationProvider otherTokens) {
		Assert.notNull(verifier, "verifier cannot be null");
		Assert.notNull(clients, "clients cannot be null");
		Assert.notNull(otherTokens, "otherTokens cannot be null");
		this.verifier = verifier;
		this.clients = clients;
		this.otherTokens = otherTokens;
		setMeterRegistry(new CompositeMeterRegistry());
	}

	/**
	 * Counts introspections in {@code meters} as {@code latchkey.introspections}, by
	 * {@code outcome}: {@code active} and {@code inactive} (personal access tokens),
	 * {@code refused} (a client not allowed to introspect).
	 * @param meters where the counts go
	 */
	public void setMeterRegistry(MeterRegistry meters) {
		Assert.notNull(meters, "meters cannot be null");
		this.active = outcome(meters, "active");
		this.inactive = outcome(meters, "inactive");
		this.refused = outcome(meters, "refused");
	}

	private static Counter outcome(MeterRegistry meters, String outcome) {
		return Counter.builder("latchkey.introspections")
			.description("Introspections of personal access tokens, and refused introspecting clients")
			.tag("outcome", outcome)
			.register(meters);
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		OAuth2TokenIntrospectionAuthenticationToken request = (OAuth2TokenIntrospectionAuthenticationToken) authentication;
		OAuth2ClientAuthenticationToken client = allowed(request);
		if (!this.verifier.isOurs(request.getToken())) {
			return this.otherTokens.authenticate(authentication);
		}
		String address = clientAddress(request);
		String from = (address != null) ? address
				: IntrospectingClients.clientId(client) + "@" + RemoteAddress.current();
		String clientId = IntrospectingClients.clientId(client);
		Optional<VerifiedToken> active = this.verifier.verify(request.getToken(), from, address, clientId);
		if (active.isEmpty()) {
			this.inactive.increment();
			if (this.logger.isTraceEnabled()) {
				this.logger.trace("Personal access token is not active");
			}
			return new OAuth2TokenIntrospectionAuthenticationToken(request.getToken(), client,
					OAuth2TokenIntrospection.builder().build());
		}
		this.active.increment();
		return new OAuth2TokenIntrospectionAuthenticationToken(request.getToken(), client,
				claims(active.get(), clientId));
	}

	private OAuth2ClientAuthenticationToken allowed(OAuth2TokenIntrospectionAuthenticationToken request) {
		try {
			return this.clients.requireAllowed((Authentication) request.getPrincipal());
		}
		catch (OAuth2AuthenticationException ex) {
			this.refused.increment();
			throw ex;
		}
	}

	/**
	 * The integration's address, as the resource service reports it in
	 * {@value AddressRange#CLIENT_ADDRESS_PARAMETER} (RFC 7662 §2.1 "other context about
	 * the request") in canonical form; null if it did not, or if what it sent is not an
	 * address.
	 */
	private static @Nullable String clientAddress(OAuth2TokenIntrospectionAuthenticationToken request) {
		Object address = request.getAdditionalParameters().get(AddressRange.CLIENT_ADDRESS_PARAMETER);
		return (address instanceof String value) ? AddressRange.canonical(value) : null;
	}

	/**
	 * The active answer: the token's claims and its audience as {@code aud} (the asking
	 * client alone for a token meant for any service).
	 */
	private static OAuth2TokenIntrospection claims(VerifiedToken active, String clientId) {
		OAuth2TokenIntrospection.Builder claims = OAuth2TokenIntrospection.withClaims(active.claims()).active(true);
		Set<String> audience = active.token().audience();
		claims.claim(OAuth2TokenIntrospectionClaimNames.AUD,
				(audience != null) ? List.copyOf(new TreeSet<>(audience)) : List.of(clientId));
		if (AuthorizationServerContextHolder.getContext() != null) {
			claims.issuer(AuthorizationServerContextHolder.getContext().getIssuer());
		}
		return claims.build();
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return OAuth2TokenIntrospectionAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
