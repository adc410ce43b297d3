package io.latchkey.authorization.web;

import java.util.ArrayList;
import java.util.List;

import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.support.RemoteAddress;
import io.latchkey.authorization.token.ResourceServices;
import io.latchkey.authorization.token.TokenVerifier;
import io.latchkey.authorization.token.VerifiedToken;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Lets a personal access token authenticate calls to the management API itself, checked
 * in process (no HTTP hop) by the same verifier as the introspection endpoint, with the
 * same claims. Authorities are the token's current effective scopes; a token that is not
 * narrowed also gets {@code tokens.self}, since it may do all its owner may. Only tokens
 * meant for the management API ({@value ResourceServices#MANAGEMENT_API} in their
 * audience, or no audience at all) are active here, except on the requests
 * {@code anyAudience} matches (a token rotating itself, whatever it is meant for).
 */
public final class LocalTokenIntrospector implements OpaqueTokenIntrospector {

	private final TokenVerifier verifier;

	private final RequestMatcher anyAudience;

	/**
	 * @param verifier the verifier
	 * @param anyAudience the requests where a token is active whatever its audience
	 */
	public LocalTokenIntrospector(TokenVerifier verifier, RequestMatcher anyAudience) {
		Assert.notNull(verifier, "verifier cannot be null");
		Assert.notNull(anyAudience, "anyAudience cannot be null");
		this.verifier = verifier;
		this.anyAudience = anyAudience;
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		VerifiedToken active;
		try {
			String address = RemoteAddress.current();
			active = this.verifier.verify(token, address, address, audience())
				.orElseThrow(() -> new BadOpaqueTokenException("The token is not active"));
		}
		catch (DataAccessException ex) {
			throw new AuthenticationServiceException("The token store is unavailable", ex);
		}
		List<GrantedAuthority> authorities = new ArrayList<>();
		active.scopes().forEach((scope) -> authorities.add(new SimpleGrantedAuthority(scope)));
		if (!active.narrowed()) {
			authorities.add(new SimpleGrantedAuthority(RightsCatalog.SELF_SCOPE));
		}
		return new OAuth2IntrospectionAuthenticatedPrincipal(active.token().owner(), active.claims(), authorities);
	}

	private @Nullable String audience() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
				&& this.anyAudience.matches(attributes.getRequest())) {
			return null;
		}
		return ResourceServices.MANAGEMENT_API;
	}

}
