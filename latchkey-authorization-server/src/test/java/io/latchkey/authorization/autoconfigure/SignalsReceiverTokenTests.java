package io.latchkey.authorization.autoconfigure;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only an access token a client got for itself by {@code client_credentials} opens the
 * Shared Signals endpoints: its audience is exactly its subject, and it names no actor
 * and no personal access token.
 */
class SignalsReceiverTokenTests {

	@Test
	void clientCredentialsTokenWhenTheAudienceIsExactlyTheSubjectThenAccepted() {
		assertThat(SignalsConfiguration.clientCredentialsToken(jwt("ssf-receiver", List.of("ssf-receiver"), Map.of()))
			.hasErrors()).isFalse();
	}

	@Test
	void clientCredentialsTokenWhenTheAudienceNamesMoreThanTheSubjectThenRefused() {
		assertThat(SignalsConfiguration
			.clientCredentialsToken(jwt("ssf-receiver", List.of("ssf-receiver", "resource-api"), Map.of()))
			.hasErrors()).isTrue();
	}

	@Test
	void clientCredentialsTokenWhenATokenExchangeNamesAnActorThenRefused() {
		assertThat(SignalsConfiguration
			.clientCredentialsToken(
					jwt("ssf-receiver", List.of("ssf-receiver"), Map.of("act", Map.of("sub", "other-client"))))
			.hasErrors()).isTrue();
	}

	@Test
	void clientCredentialsTokenWhenExchangedForAPersonalAccessTokenThenRefused() {
		assertThat(SignalsConfiguration
			.clientCredentialsToken(jwt("ssf-receiver", List.of("ssf-receiver"), Map.of("pat_id", "t1")))
			.hasErrors()).isTrue();
	}

	private static Jwt jwt(String subject, List<String> audience, Map<String, Object> claims) {
		Instant now = Instant.parse("2026-12-07T10:00:00Z");
		return Jwt.withTokenValue("header.payload.signature")
			.header("alg", "RS256")
			.subject(subject)
			.audience(audience)
			.issuedAt(now)
			.expiresAt(now.plusSeconds(300))
			.claims((all) -> all.putAll(claims))
			.build();
	}

}
