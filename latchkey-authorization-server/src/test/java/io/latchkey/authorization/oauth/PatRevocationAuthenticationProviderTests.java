package io.latchkey.authorization.oauth;

import java.util.Set;

import io.latchkey.authorization.token.TokenRevocation;
import io.latchkey.authorization.token.TokenVerifier;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The revocation provider alone: PATs revoked by any allowed client, other tokens left to
 * Spring.
 */
class PatRevocationAuthenticationProviderTests {

	private final TokenVerifier verifier = mock(TokenVerifier.class);

	private final TokenRevocation tokens = mock(TokenRevocation.class);

	private final AuthenticationProvider stock = mock(AuthenticationProvider.class);

	private final PatRevocationAuthenticationProvider provider = new PatRevocationAuthenticationProvider(this.verifier,
			this.tokens, new IntrospectingClients(Set.of("resource-api")), this.stock);

	@Test
	void authenticateWhenPatFromAnAllowedClientThenRevokedByValue() {
		given(this.verifier.isOurs("lkp_x")).willReturn(true);
		this.provider.authenticate(request("lkp_x", "resource-api"));
		verify(this.tokens).revokeByValue("lkp_x", "client:resource-api", "oauth2/revoke");
	}

	@Test
	void authenticateWhenPatFromAClientNotAllowedThenRefusedAndNothingRevoked() {
		given(this.verifier.isOurs("lkp_x")).willReturn(true);
		assertThatExceptionOfType(OAuth2AuthenticationException.class)
			.isThrownBy(() -> this.provider.authenticate(request("lkp_x", "stranger")));
		verify(this.tokens, never()).revokeByValue(anyString(), anyString(), anyString());
	}

	@Test
	void authenticateWhenRegularTokenThenTheStockProviderRevokesIt() {
		OAuth2TokenRevocationAuthenticationToken request = request("regular", "stranger");
		this.provider.authenticate(request);
		verify(this.stock).authenticate(request);
	}

	private static OAuth2TokenRevocationAuthenticationToken request(String token, String clientId) {
		RegisteredClient client = RegisteredClient.withId(clientId)
			.clientId(clientId)
			.clientSecret("{noop}secret")
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.build();
		return new OAuth2TokenRevocationAuthenticationToken(token,
				new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.CLIENT_SECRET_BASIC, "secret"),
				null);
	}

}
