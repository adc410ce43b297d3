package io.latchkey.resource.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.latchkey.resource.AuthServerStub;
import io.latchkey.resource.AuthServerStub.Answer;
import io.latchkey.testsupport.DPoPProofs;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resource-server library decides where a token works besides the auth server: an
 * answer whose {@code aud} does not name this service is refused (defence in depth), a
 * token bound to a key ({@code cnf.jkt}) works only as {@code Authorization: DPoP} with a
 * fresh proof of that key, for this request, never twice, and RFC 9728 metadata says all
 * that. The auth server is a real HTTP receiver answering per token; proofs come from the
 * Nimbus SDK.
 */
@SpringBootTest(classes = WhereATokenWorksTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.security.oauth2.resourceserver.opaquetoken.client-id=orders",
				"spring.security.oauth2.resourceserver.opaquetoken.client-secret=orders-secret",
				"latchkey.resource.metadata.name=Orders",
				"management.endpoints.web.exposure.include=health,prometheus" })
class WhereATokenWorksTests {

	private static final String PLAIN = "lkp_" + "p".repeat(36);

	private static final String BOUND = "lkp_" + "b".repeat(36);

	private static final String ELSEWHERE = "lkp_" + "e".repeat(36);

	private static final DPoPProofs key = DPoPProofs.newKey();

	private static final Map<String, String> answers = new ConcurrentHashMap<>(Map.of(PLAIN,
			"{\"active\":true,\"sub\":\"ci-bot\",\"scope\":\"orders.read\",\"aud\":[\"orders\"]}", BOUND,
			"{\"active\":true,\"sub\":\"ci-bot\",\"scope\":\"orders.read\",\"aud\":[\"orders\"],\"token_type\":\"DPoP\","
					+ "\"cnf\":{\"jkt\":\"" + key.thumbprint() + "\"}}",
			ELSEWHERE, "{\"active\":true,\"sub\":\"ci-bot\",\"scope\":\"orders.read\",\"aud\":[\"billing\"]}"));

	private static final AuthServerStub authServer = AuthServerStub.start()
		.answer("/oauth2/introspect",
				(form, headers) -> Answer.json(answers.getOrDefault(form.get("token"), "{\"active\":false}")));

	private static final HttpClient http = HttpClient.newHttpClient();

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
	void tokenWhenItsAudienceNamesThisServiceThenServed() throws Exception {
		assertThat(get("/orders", "Bearer " + PLAIN, null).statusCode()).isEqualTo(200);
	}

	@Test
	void actuatorWhenNoScrapeUserThenMetricsForNobodyNotEvenAToken() throws Exception {
		assertThat(get("/actuator/health", null, null).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/prometheus", null, null).statusCode()).isEqualTo(401);
		assertThat(get("/actuator/prometheus", "Bearer " + PLAIN, null).statusCode()).isEqualTo(403);
	}

	@Test
	void tokenWhenTheAuthServerSaysActiveForAnotherServiceThen401() throws Exception {
		HttpResponse<String> response = get("/orders", "Bearer " + ELSEWHERE, null);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer").contains("invalid_token"));
	}

	@Test
	void boundTokenWhenPresentedAsBearerThen401WithDPoPChallenge() throws Exception {
		HttpResponse<String> response = get("/orders", "Bearer " + BOUND, null);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("DPoP")
				.contains("error=\"invalid_token\"")
				.contains("algs=\"ES256")
				.contains("resource_metadata=\"" + url("/.well-known/oauth-protected-resource") + "\""));
	}

	@Test
	void boundTokenWhenProofOfItsKeyThenServedButTheSameProofNeverTwice() throws Exception {
		String proof = key.proof("GET", url("/orders"), BOUND);
		assertThat(get("/orders", "DPoP " + BOUND, proof).statusCode()).isEqualTo(200);
		HttpResponse<String> replayed = get("/orders", "DPoP " + BOUND, proof);
		assertThat(replayed.statusCode()).isEqualTo(401);
		assertThat(replayed.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("DPoP"));
	}

	@Test
	void boundTokenWhenProofForAnotherUrlOrFromAnotherKeyThen401() throws Exception {
		assertThat(get("/orders", "DPoP " + BOUND, key.proof("GET", url("/other"), BOUND)).statusCode()).isEqualTo(401);
		assertThat(
				get("/orders", "DPoP " + BOUND, DPoPProofs.newKey().proof("GET", url("/orders"), BOUND)).statusCode())
			.isEqualTo(401);
		assertThat(get("/orders", "DPoP " + BOUND, key.proof("GET", url("/orders"), PLAIN)).statusCode())
			.as("ath of another token")
			.isEqualTo(401);
	}

	@Test
	void plainTokenWhenSentWithAProofThen401SinceItIsNotBound() throws Exception {
		assertThat(get("/orders", "DPoP " + PLAIN, key.proof("GET", url("/orders"), PLAIN)).statusCode())
			.isEqualTo(401);
	}

	@Test
	void metadataWhenFetchedThenNamesTheAuthServerScopesBearerMethodsAndProofAlgorithms() throws Exception {
		HttpResponse<String> response = get("/.well-known/oauth-protected-resource", null, null);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode metadata = JsonMapper.builder().build().readTree(response.body());
		assertThat(metadata.get("resource").asString()).isEqualTo(url(""));
		assertThat(metadata.get("resource_name").asString()).isEqualTo("Orders");
		assertThat(metadata.get("authorization_servers").values()).extracting(JsonNode::asString)
			.containsExactly(authServer.origin());
		assertThat(metadata.get("scopes_supported").values()).extracting(JsonNode::asString)
			.containsExactly("orders.read");
		assertThat(metadata.get("bearer_methods_supported").values()).extracting(JsonNode::asString).contains("header");
		assertThat(metadata.get("dpop_signing_alg_values_supported").values()).extracting(JsonNode::asString)
			.contains("ES256", "RS256");
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private HttpResponse<String> get(String path, String authorization, String proof)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		if (proof != null) {
			request.header("DPoP", proof);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		Orders orders() {
			return new Orders();
		}

	}

	@RestController
	static class Orders {

		@GetMapping("/orders")
		@PreAuthorize("hasAuthority('SCOPE_orders.read')")
		String orders() {
			return "orders";
		}

	}

}
