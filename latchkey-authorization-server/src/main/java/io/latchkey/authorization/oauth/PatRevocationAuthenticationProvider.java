package io.latchkey.authorization.oauth;

import io.latchkey.authorization.token.TokenRevocation;
import io.latchkey.authorization.token.TokenVerifier;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationToken;
import org.springframework.util.Assert;

/**
 * RFC 7009 revocation of personal access tokens at Spring Authorization Server's own
 * endpoint. Whoever holds a token string may end it (as with GitHub's credential
 * revocation), so any client allowed to introspect may revoke a PAT; the answer is the
 * same 200 whether or not the token existed. It takes the stock provider's place and
 * hands it every other token.
 */
public final class PatRevocationAuthenticationProvider implements AuthenticationProvider {

	private final TokenVerifier verifier;

	private final TokenRevocation tokens;

	private final IntrospectingClients clients;

	private final AuthenticationProvider otherTokens;

	public PatRevocationAuthenticationProvider(TokenVerifier verifier, TokenRevocation tokens,
			IntrospectingClients clients, AuthenticationProvider otherTokens) {
		Assert.notNull(verifier, "verifier cannot be null");
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(clients, "clients cannot be null");
		Assert.notNull(otherTokens, "otherTokens cannot be null");
		this.verifier = verifier;
		this.tokens = tokens;
		this.clients = clients;
		this.otherTokens = otherTokens;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		OAuth2TokenRevocationAuthenticationToken request = (OAuth2TokenRevocationAuthenticationToken) authentication;
		if (!this.verifier.isOurs(request.getToken())) {
			return this.otherTokens.authenticate(authentication);
		}
		OAuth2ClientAuthenticationToken client = this.clients.requireAllowed((Authentication) request.getPrincipal());
		this.tokens.revokeByValue(request.getToken(), "client:" + IntrospectingClients.clientId(client),
				"oauth2/revoke");
		return request;
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return OAuth2TokenRevocationAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
