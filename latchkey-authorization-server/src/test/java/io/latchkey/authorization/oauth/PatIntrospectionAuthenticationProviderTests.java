package io.latchkey.authorization.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.authorization.token.LastUseRecorder;
import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.authorization.token.TokenRepository;
import io.latchkey.authorization.token.TokenVerifier;
import io.latchkey.core.TokenDigest;
import io.latchkey.core.TokenFormat;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The introspection provider alone: who may ask, which tokens are ours, what the answer
 * holds.
 */
class PatIntrospectionAuthenticationProviderTests {

	private final TokenFormat format = new TokenFormat("lkp");

	private final TokenRepository tokens = mock(TokenRepository.class);

	private final OwnerDirectory owners = mock(OwnerDirectory.class);

	private final AuthenticationProvider stock = mock(AuthenticationProvider.class);

	private final PatIntrospectionAuthenticationProvider provider = new PatIntrospectionAuthenticationProvider(
			new TokenVerifier(this.format, this.tokens, this.owners,
					new LastUseRecorder(this.tokens, Duration.ofMinutes(1), Duration.ofSeconds(1), Clock.systemUTC()),
					(event) -> {
					}),
			new IntrospectingClients(Set.of("resource-api")), this.stock);

	@Test
	void constructorWhenStockProviderNullThenIllegalArgument() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PatIntrospectionAuthenticationProvider(mock(TokenVerifier.class),
					new IntrospectingClients(Set.of()), null))
			.withMessage("otherTokens cannot be null");
	}

	@Test
	void authenticateWhenClientNotAllowedThenUnauthorizedClientAndNothingLookedUp() {
		OAuth2TokenIntrospectionAuthenticationToken request = request(this.format.generate(), "stranger");
		assertThatExceptionOfType(OAuth2AuthenticationException.class)
			.isThrownBy(() -> this.provider.authenticate(request))
			.satisfies(
					(ex) -> assertThat(ex.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT));
		verifyNoInteractions(this.tokens, this.stock);
	}

	@Test
	void authenticateWhenNotOurPrefixThenTheStockProviderAnswers() {
		OAuth2TokenIntrospectionAuthenticationToken request = request("eyJhbGciOi.regular.token", "resource-api");
		this.provider.authenticate(request);
		verify(this.stock).authenticate(request);
		verifyNoInteractions(this.tokens);
	}

	@Test
	void authenticateWhenPatUnknownThenExactlyInactive() {
		OAuth2TokenIntrospectionAuthenticationToken answer = (OAuth2TokenIntrospectionAuthenticationToken) this.provider
			.authenticate(request(this.format.generate(), "resource-api"));
		assertThat(answer.getTokenClaims().getClaims()).isEqualTo(Map.of("active", false));
		verifyNoInteractions(this.stock);
	}

	@Test
	void authenticateWhenPatActiveThenTheVerifiersClaims() {
		String value = this.format.generate();
		Instant now = Instant.now();
		given(this.tokens.findByDigest(TokenDigest.of(value))).willReturn(Optional.of(new PersonalAccessToken("id-1",
				TokenDigest.of(value), "lkp_…", "alice", "uid", null, Set.of(), now, "alice", now.plusSeconds(60), now,
				null, "id-1", List.of(), null, null, List.of(), null, null, null)));
		given(this.owners.ownerState("alice"))
			.willReturn(Optional.of(new OwnerState("alice", "uid", true, Set.of("projects.read"), "")));
		OAuth2TokenIntrospectionAuthenticationToken answer = (OAuth2TokenIntrospectionAuthenticationToken) this.provider
			.authenticate(request(value, "resource-api"));
		assertThat(answer.getTokenClaims().isActive()).isTrue();
		assertThat(answer.getTokenClaims().getSubject()).isEqualTo("alice");
		assertThat(answer.getTokenClaims().getScopes()).containsExactly("projects.read");
		assertThat(answer.getTokenClaims().getId()).isEqualTo("id-1");
	}

	private static OAuth2TokenIntrospectionAuthenticationToken request(String token, String clientId) {
		RegisteredClient client = RegisteredClient.withId(clientId)
			.clientId(clientId)
			.clientSecret("{noop}secret")
			.authorizationGrantType(org.springframework.security.oauth2.core.AuthorizationGrantType.CLIENT_CREDENTIALS)
			.build();
		OAuth2ClientAuthenticationToken principal = new OAuth2ClientAuthenticationToken(client,
				ClientAuthenticationMethod.CLIENT_SECRET_BASIC, "secret");
		return new OAuth2TokenIntrospectionAuthenticationToken(token, principal, null, Map.of());
	}

}
