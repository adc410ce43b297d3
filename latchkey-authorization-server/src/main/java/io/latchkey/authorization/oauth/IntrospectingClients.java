package io.latchkey.authorization.oauth;

import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;

/**
 * The registered clients allowed to introspect (and revoke) personal access tokens, from
 * {@code latchkey.introspection.allowed-clients}. Others get {@code unauthorized_client}
 * (403).
 */
public final class IntrospectingClients {

	private final Set<String> allowed;

	public IntrospectingClients(Set<String> allowed) {
		this.allowed = Set.copyOf(allowed);
	}

	/**
	 * The authenticated client behind a request, if it is allowed; otherwise an OAuth
	 * error.
	 */
	OAuth2ClientAuthenticationToken requireAllowed(Authentication clientPrincipal) {
		if (!(clientPrincipal instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()
				|| client.getRegisteredClient() == null) {
			throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
		}
		if (!this.allowed.contains(client.getRegisteredClient().getClientId())) {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
					"This client is not allowed to introspect or revoke tokens", null));
		}
		return client;
	}

	static String clientId(OAuth2ClientAuthenticationToken client) {
		return client.getRegisteredClient().getClientId();
	}

}
