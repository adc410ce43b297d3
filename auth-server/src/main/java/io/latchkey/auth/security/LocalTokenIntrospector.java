package io.latchkey.auth.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.latchkey.auth.system.RemoteAddress;
import io.latchkey.auth.token.ActiveToken;
import io.latchkey.auth.token.TokenService;
import io.latchkey.auth.user.RightsCatalog;

import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * Lets a personal access token authenticate calls to the management API itself, checked in
 * process (no HTTP hop). Authorities are the token's current effective scopes; a token that is
 * not narrowed also gets {@code tokens.self}, since it may do all its owner may.
 */
class LocalTokenIntrospector implements OpaqueTokenIntrospector {

	private final TokenService tokens;

	LocalTokenIntrospector(TokenService tokens) {
		this.tokens = tokens;
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		ActiveToken active;
		try {
			active = this.tokens.introspect(token, RemoteAddress.current())
				.orElseThrow(() -> new BadOpaqueTokenException("The token is not active"));
		}
		catch (DataAccessException ex) {
			throw new AuthenticationServiceException("The token store is unavailable", ex);
		}
		Map<String, Object> attributes = new LinkedHashMap<>();
		attributes.put(OAuth2TokenIntrospectionClaimNames.SUB, active.token().owner());
		attributes.put(OAuth2TokenIntrospectionClaimNames.JTI, active.token().id());
		attributes.put(OAuth2TokenIntrospectionClaimNames.SCOPE, List.copyOf(active.scopes()));
		List<GrantedAuthority> authorities = new ArrayList<>();
		active.scopes().forEach((scope) -> authorities.add(new SimpleGrantedAuthority(scope)));
		if (active.token().scopes().isEmpty()) {
			authorities.add(new SimpleGrantedAuthority(RightsCatalog.SELF_SCOPE));
		}
		return new OAuth2IntrospectionAuthenticatedPrincipal(active.token().owner(), attributes, authorities);
	}

}
