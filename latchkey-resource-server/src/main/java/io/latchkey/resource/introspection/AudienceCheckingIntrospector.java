package io.latchkey.resource.introspection;

import java.util.Collection;

import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.util.Assert;

/**
 * Defence in depth behind the auth server's own rule (it answers only about tokens meant
 * for the asking service): an active answer whose {@code aud} does not name this
 * service's client id is taken as inactive.
 *
 * @since 0.1
 */
public final class AudienceCheckingIntrospector implements OpaqueTokenIntrospector {

	private final OpaqueTokenIntrospector authServer;

	private final String clientId;

	/**
	 * @param authServer what asks the auth server
	 * @param clientId this service's client id, its audience value
	 */
	public AudienceCheckingIntrospector(OpaqueTokenIntrospector authServer, String clientId) {
		Assert.notNull(authServer, "authServer cannot be null");
		Assert.hasText(clientId, "clientId cannot be empty");
		this.authServer = authServer;
		this.clientId = clientId;
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		OAuth2AuthenticatedPrincipal principal = this.authServer.introspect(token);
		Object audience = principal.getAttribute(OAuth2TokenIntrospectionClaimNames.AUD);
		boolean meantForUs = (audience instanceof Collection<?> values) ? values.contains(this.clientId)
				: this.clientId.equals(audience);
		if (!meantForUs) {
			throw new BadOpaqueTokenException("The token is not meant for this service");
		}
		return principal;
	}

}
