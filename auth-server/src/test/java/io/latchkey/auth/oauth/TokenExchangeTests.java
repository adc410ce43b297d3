package io.latchkey.auth.oauth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8693 at Spring Authorization Server's own token endpoint: an allowed client
 * exchanges an active PAT for a short-lived JWT that verifies against
 * {@code /oauth2/jwks}; anything else is refused with the RFC's errors.
 */
class TokenExchangeTests extends AuthServerTestBase {

	private static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";

	private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

	@Test
	void exchangeWhenActivePatThenShortLivedJwtThatVerifiesAgainstTheJwks() {
		String user = newUser(newGroup("projects.read", "projects.write"));
		JsonNode pat = generateToken(user, Map.of("scopes", List.of("projects.read", "projects.write")));
		Http.Response response = exchange(CLIENT_ID, CLIENT_SECRET, pat.get("token").asString(), Map.of());
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
		assertThat(body.get("issued_token_type").asString()).isEqualTo(ACCESS_TOKEN);
		assertThat(body.get("expires_in").asLong()).isBetween(290L, 300L);
		assertThat(response.header("Cache-Control")).contains("no-store");

		Jwt jwt = NimbusJwtDecoder.withJwkSetUri(url("/oauth2/jwks"))
			.build()
			.decode(body.get("access_token").asString());
		assertThat(jwt.getSubject()).isEqualTo(user);
		assertThat(jwt.getClaimAsStringList("scope")).containsExactlyInAnyOrder("projects.read", "projects.write");
		assertThat(jwt.getClaimAsString("pat_id")).isEqualTo(pat.get("id").asString());
		assertThat(jwt.getClaimAsString("client_id")).isEqualTo(CLIENT_ID);
		assertThat(jwt.getId()).isNotBlank();
		assertThat(Duration.between(jwt.getIssuedAt(), jwt.getExpiresAt())).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void exchangeWhenScopeRequestedThenNarrowedAndBeyondThePatsScopesInvalidScope() {
		String user = newUser(newGroup("projects.read", "projects.write"));
		String pat = generateToken(user, Map.of("scopes", List.of("projects.read"))).get("token").asString();
		Http.Response narrowed = exchange(CLIENT_ID, CLIENT_SECRET, pat, Map.of("scope", "projects.read"));
		assertThat(narrowed.json().get("scope").asString()).isEqualTo("projects.read");
		Http.Response beyond = exchange(CLIENT_ID, CLIENT_SECRET, pat, Map.of("scope", "projects.write"));
		assertThat(beyond.status()).isEqualTo(400);
		assertThat(beyond.json().get("error").asString()).isEqualTo("invalid_scope");
	}

	@Test
	void exchangeWhenPatRevokedOrUnknownThenInvalidGrant() {
		String user = newUser();
		String pat = tokenFor(user);
		Http.Response revoke = asAdmin(Http.post(url("/api/tokens/revoke")).json(Map.of("token", pat)));
		assertThat(revoke.status()).isEqualTo(204);
		for (String subject : List.of(pat, "lkp_" + "x".repeat(36))) {
			Http.Response response = exchange(CLIENT_ID, CLIENT_SECRET, subject, Map.of());
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.json().get("error").asString()).isEqualTo("invalid_grant");
			assertThat(response.body()).doesNotContain(subject);
		}
	}

	@Test
	void exchangeWhenPatHasAnAllowlistThenRefusedSinceAJwtCouldNotKeepIt() {
		String pat = generateToken(newUser(), Map.of("allowedIps", List.of("127.0.0.0/8"))).get("token").asString();
		Http.Response response = exchange(CLIENT_ID, CLIENT_SECRET, pat, Map.of());
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("error").asString()).isEqualTo("invalid_grant");
	}

	@Test
	void exchangeWhenClientWithoutTheGrantOrNotAllowedThenUnauthorizedClient() {
		String pat = tokenFor(newUser());
		Http.Response response = exchange("machine", "machine-secret", pat, Map.of());
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("error").asString()).isEqualTo("unauthorized_client");
		assertThat(introspect(pat).json().get("active").asBoolean()).isTrue();
	}

	@Test
	void exchangeWhenTheClientIsRegisteredWithScopesThenTheJwtStaysWithinThem() {
		String user = newUser(newGroup("projects.read", "projects.write"));
		String pat = tokenFor(user);
		Http.Response response = exchange("narrow", "narrow-secret", pat, Map.of());
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().get("scope").asString()).isEqualTo("projects.read");
		Http.Response beyond = exchange("narrow", "narrow-secret", pat, Map.of("scope", "projects.write"));
		assertThat(beyond.status()).isEqualTo(400);
		assertThat(beyond.json().get("error").asString()).isEqualTo("invalid_scope");
	}

	@Test
	void exchangeWhenSubjectTokenTypeIsNotAnAccessTokenThenRefused() {
		String pat = tokenFor(newUser());
		Http.Response response = Http.post(url("/oauth2/token"))
			.basic(CLIENT_ID, CLIENT_SECRET)
			.form(Map.of("grant_type", GRANT, "subject_token", pat, "subject_token_type",
					"urn:ietf:params:oauth:token-type:id_token"))
			.send();
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("error").asString()).isIn("unsupported_token_type", "invalid_request");
	}

	private Http.Response exchange(String clientId, String secret, String subjectToken, Map<String, String> extra) {
		Map<String, String> form = new java.util.LinkedHashMap<>(
				Map.of("grant_type", GRANT, "subject_token", subjectToken, "subject_token_type", ACCESS_TOKEN));
		form.putAll(extra);
		return Http.post(url("/oauth2/token")).basic(clientId, secret).form(form).send();
	}

}
