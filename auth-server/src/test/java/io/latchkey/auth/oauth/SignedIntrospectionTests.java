package io.latchkey.auth.oauth;

import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9701: a client asking with {@code Accept: application/token-introspection+jwt} gets
 * the answer as a JWT signed with the server's keys, for itself alone; anyone else keeps
 * the plain JSON of RFC 7662.
 */
class SignedIntrospectionTests extends AuthServerTestBase {

	private static final String SIGNED = "application/token-introspection+jwt";

	/** Verifies against the server's keys, and that the JWT is typed as RFC 9701 says. */
	private NimbusJwtDecoder statements() {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(url("/oauth2/jwks")).validateType(false).build();
		decoder.setJwtValidator(new JwtTypeValidator("token-introspection+jwt"));
		return decoder;
	}

	@Test
	void introspectWhenSignedAnswerAskedForThenAJwtForTheClientThatVerifiesAgainstTheJwks() {
		String user = newUser();
		String token = tokenFor(user);
		Http.Response response = Http.post(url("/oauth2/introspect"))
			.basic(CLIENT_ID, CLIENT_SECRET)
			.header("Accept", SIGNED)
			.form(Map.of("token", token))
			.send();
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Type")).startsWith(SIGNED);
		assertThat(response.header("Cache-Control")).contains("no-store");
		Jwt statement = statements().decode(response.body());
		assertThat(statement.getHeaders()).containsEntry("typ", "token-introspection+jwt");
		assertThat(statement.getAudience()).containsExactly(CLIENT_ID);
		assertThat(statement.getIssuedAt()).isNotNull();
		Map<String, Object> answer = statement.getClaimAsMap("token_introspection");
		assertThat(answer).containsEntry("active", true).containsEntry("sub", user);
		assertThat(response.body()).doesNotContain(token);
	}

	@Test
	void introspectWhenSignedAnswerAskedForAnInactiveTokenThenSignedInactive() {
		Http.Response response = Http.post(url("/oauth2/introspect"))
			.basic(CLIENT_ID, CLIENT_SECRET)
			.header("Accept", SIGNED)
			.form(Map.of("token", "lkp_" + "a".repeat(36)))
			.send();
		Jwt statement = statements().decode(response.body());
		assertThat(statement.getClaimAsMap("token_introspection")).containsExactly(Map.entry("active", false));
	}

	@Test
	void introspectWhenPlainJsonAskedForThenRfc7662Json() {
		Http.Response response = introspect(tokenFor(newUser()));
		assertThat(response.header("Content-Type")).startsWith("application/json");
		assertThat(response.json().get("active").asBoolean()).isTrue();
	}

}
