package io.latchkey.resource.introspection;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.Headers;
import io.latchkey.resource.AuthServerStub;
import io.latchkey.resource.AuthServerStub.Answer;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code latchkey.resource.introspection.signed-answers=true} the library asks for
 * RFC 9701 answers and takes only those the auth server's keys signed for this service;
 * the principal keeps the signed statement. The auth server is a real HTTP receiver that
 * signs with a key of the test's own; a forged or misaddressed answer never lets a
 * request through.
 */
@SpringBootTest(classes = SignedAnswersTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.security.oauth2.resourceserver.opaquetoken.client-id=orders",
				"spring.security.oauth2.resourceserver.opaquetoken.client-secret=orders-secret",
				"latchkey.resource.introspection.signed-answers=true",
				"latchkey.resource.introspection.cache-enabled=false" })
class SignedAnswersTests {

	private static final String SIGNED_FOR_US = "lkp_ssssssssssssssssssssssssssssssssssss";

	private static final String FORGED = "lkp_ffffffffffffffffffffffffffffffffffff";

	private static final String FOR_ANOTHER_SERVICE = "lkp_oooooooooooooooooooooooooooooooooooo";

	private static final String FROM_ANOTHER_ISSUER = "lkp_iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii";

	private static final RSAKey serverKey = newKey();

	private static final RSAKey forgerKey = newKey();

	private static final AuthServerStub authServer = AuthServerStub.start()
		.answer("/oauth2/jwks", (form, headers) -> Answer.json(new JWKSet(serverKey.toPublicJWK()).toString()))
		.answer("/oauth2/introspect", SignedAnswersTests::introspect);

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> RealRedis.uri().toString());
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri",
				authServer::introspectionUri);
	}

	@AfterAll
	static void stop() {
		authServer.stop();
	}

	@Test
	void answerWhenSignedByTheAuthServerForThisServiceThenServedAndTheStatementKept() throws Exception {
		HttpResponse<String> response = get(SIGNED_FOR_US);
		assertThat(response.statusCode()).isEqualTo(200);
		SignedJWT statement = SignedJWT.parse(response.body());
		assertThat(statement.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(serverKey.toRSAPublicKey()))).isTrue();
		assertThat(statement.getJWTClaimsSet().getAudience()).containsExactly("orders");
	}

	@Test
	void answerWhenSignedByAnotherKeyThenNeverAccess() throws Exception {
		assertThat(get(FORGED).statusCode()).isIn(401, 503);
	}

	@Test
	void answerWhenSignedForAnotherServiceThenNeverAccess() throws Exception {
		assertThat(get(FOR_ANOTHER_SERVICE).statusCode()).isIn(401, 503);
	}

	@Test
	void answerWhenIssuedByAnotherServerThenNeverAccess() throws Exception {
		assertThat(get(FROM_ANOTHER_ISSUER).statusCode()).isIn(401, 503);
	}

	private HttpResponse<String> get(String token) throws IOException, InterruptedException {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/statement"))
				.header("Authorization", "Bearer " + token)
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static RSAKey newKey() {
		try {
			return new RSAKeyGenerator(2048).keyID(java.util.UUID.randomUUID().toString()).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String statement(RSAKey key, String audience, String issuer) {
		Map<String, Object> answer = Map.of("active", true, "sub", "ci-bot", "scope", "orders.read", "aud",
				List.of(audience));
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(serverKey.getKeyID())
					.type(new JOSEObjectType("token-introspection+jwt"))
					.build(),
				new JWTClaimsSet.Builder().issuer(issuer)
					.audience(audience)
					.issueTime(new Date())
					.claim("token_introspection", answer)
					.build());
		try {
			jwt.sign(new RSASSASigner(key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	/** Signed answers to those who ask for them, made per token. */
	private static Answer introspect(Map<String, String> form, Headers headers) {
		String accept = headers.getFirst("Accept");
		if (accept == null || !accept.contains("application/token-introspection+jwt")) {
			return Answer.json("{\"active\":false}");
		}
		String answer = switch (form.getOrDefault("token", "")) {
			case SIGNED_FOR_US -> statement(serverKey, "orders", authServer.origin());
			case FORGED -> statement(forgerKey, "orders", authServer.origin());
			case FOR_ANOTHER_SERVICE -> statement(serverKey, "billing", authServer.origin());
			case FROM_ANOTHER_ISSUER -> statement(serverKey, "orders", "https://elsewhere.example");
			default -> statement(serverKey, "nobody", authServer.origin());
		};
		return new Answer("application/token-introspection+jwt", answer);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		Statements statements() {
			return new Statements();
		}

	}

	@RestController
	static class Statements {

		@GetMapping("/statement")
		String statement(@AuthenticationPrincipal OAuth2AuthenticatedPrincipal principal) {
			return ((SignedAnswerIntrospector.SignedAnswer) principal).signedAnswer();
		}

	}

}
