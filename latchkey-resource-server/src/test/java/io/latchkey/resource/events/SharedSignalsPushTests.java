package io.latchkey.resource.events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.latchkey.core.TokenDigest;
import io.latchkey.core.event.LatchkeyEvent;
import io.latchkey.resource.introspection.IntrospectionCache;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static io.latchkey.resource.web.LatchkeyResourceServerConfigurer.latchkeyResourceServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.config.Customizer.withDefaults;

/**
 * Push delivery over HTTP, in an application whose own security filter chain wants a
 * bearer token for every request, against a {@link FakeTransmitter}: the receiver asks
 * for a push stream to its URL with a secret header; a push carrying that header reaches
 * the endpoint without a bearer token or CSRF token and drops what its SET names (202); a
 * push without it, or with another, gets 401 and drops nothing; a SET signed by another
 * key gets 400 with the RFC 8935 error and empties the cache; the rest of the application
 * still wants its bearer token.
 */
@SpringBootTest(classes = SharedSignalsPushTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.security.oauth2.resourceserver.opaquetoken.client-id=" + SharedSignalsPushTests.CLIENT,
				"spring.security.oauth2.resourceserver.opaquetoken.client-secret=orders-secret",
				"latchkey.resource.events.source=ssf", "latchkey.resource.events.delivery=push",
				"latchkey.resource.events.push-path=/events/ssf",
				"latchkey.resource.events.push-url=https://orders.example/events/ssf" })
class SharedSignalsPushTests {

	static final String CLIENT = "orders";

	private static final FakeTransmitter transmitter = new FakeTransmitter();

	private static final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private SharedSignalsReceiver receiver;

	@Autowired
	private IntrospectionCache cache;

	private String authorization;

	@DynamicPropertySource
	static void transmitter(DynamicPropertyRegistry registry) {
		registry.add("latchkey.resource.events.transmitter", () -> transmitter.issuer);
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri",
				() -> transmitter.issuer + "/oauth2/introspect");
	}

	@AfterAll
	static void stopTransmitter() {
		transmitter.close();
	}

	/**
	 * Connected (at once if the receiver's own thread has not yet), and two answers
	 * cached.
	 */
	@BeforeEach
	void connectAndCache() {
		this.receiver.runOnce();
		List<String> streams = transmitter.streamRequests();
		String created = streams.get(streams.size() - 1);
		JsonNode delivery = this.json.readTree(created.substring(created.indexOf(' ') + 1)).path("delivery");
		assertThat(delivery.path("method").asString()).isEqualTo(SharedSignalsReceiver.PUSH);
		assertThat(delivery.path("endpoint_url").asString()).isEqualTo("https://orders.example/events/ssf");
		this.authorization = delivery.path("authorization_header").asString();
		for (String token : List.of("lkp_one", "lkp_two")) {
			this.cache.putActive(token, principal(), this.cache.generation());
		}
	}

	@Test
	void pushWhenTheTransmitterPushesARevocationThen202AndOnlyThatAnswerIsDropped() throws Exception {
		HttpResponse<String> response = push(this.authorization, "application/secevent+jwt", revocation("lkp_one"));
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(this.cache.get("lkp_one", null)).isNull();
		assertThat(this.cache.get("lkp_two", null)).isNotNull();
	}

	@Test
	void pushWhenTheAuthorizationIsMissingOrWrongThen401AndNothingIsDropped() throws Exception {
		for (String authorization : new String[] { null, "Bearer not-the-secret", "Bearer lkp_one",
				this.authorization + "x" }) {
			HttpResponse<String> response = push(authorization, "application/secevent+jwt", revocation("lkp_one"));
			assertThat(response.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
			assertThat(this.json.readTree(response.body()).path("err").asString()).isEqualTo("authentication_failed");
		}
		assertThat(push(null, "application/secevent+jwt", "not a set").statusCode()).isEqualTo(401);
		assertThat(this.cache.get("lkp_one", null)).isNotNull();
		assertThat(this.cache.get("lkp_two", null)).isNotNull();
	}

	@Test
	void pushWhenTheSetIsForgedThen400InvalidKeyAndTheCacheIsEmptied() throws Exception {
		String forged = transmitter.set(FakeTransmitter.otherKey, CLIENT, Instant.now(),
				LatchkeyEvent.tokenRevoked("alice", "t1", TokenDigest.of("lkp_one"), Instant.now()));
		HttpResponse<String> response = push(this.authorization, "application/secevent+jwt", forged);
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode error = this.json.readTree(response.body());
		assertThat(error.path("err").asString()).isEqualTo("invalid_key");
		assertThat(error.path("description").asString()).isNotBlank();
		assertThat(this.cache.get("lkp_one", null)).isNull();
		assertThat(this.cache.get("lkp_two", null)).isNull();
	}

	@Test
	void pushWhenTheBodyIsNotASetThen400InvalidRequestAndTheCacheIsEmptied() throws Exception {
		HttpResponse<String> response = push(this.authorization, "application/json", revocation("lkp_one"));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.json.readTree(response.body()).path("err").asString()).isEqualTo("invalid_request");
		assertThat(this.cache.get("lkp_two", null)).isNull();
	}

	@Test
	void requestWhenNotThePushPathThenTheApplicationsChainStillWantsABearerToken() throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(url("/orders")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(push(this.authorization, "application/secevent+jwt", revocation("lkp_one")).statusCode())
			.isEqualTo(202);
	}

	private String revocation(String token) {
		return transmitter.set(FakeTransmitter.key, CLIENT, Instant.now(),
				LatchkeyEvent.tokenRevoked("alice", "t1", TokenDigest.of(token), Instant.now()));
	}

	private HttpResponse<String> push(@Nullable String authorization, String contentType, String body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(url("/events/ssf"))
			.header("Content-Type", contentType)
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI url(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static OAuth2AuthenticatedPrincipal principal() {
		return new OAuth2IntrospectionAuthenticatedPrincipal("alice", Map.of("sub", "alice", "username", "alice"),
				List.of());
	}

	/** A resource service whose own chain wants a bearer token for everything. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		SecurityFilterChain applicationChain(HttpSecurity http) {
			http.authorizeHttpRequests((authorize) -> authorize.anyRequest().authenticated())
				.with(latchkeyResourceServer(), withDefaults());
			return http.build();
		}

		@RestController
		static class Orders {

			@GetMapping("/orders")
			String orders() {
				return "orders";
			}

		}

	}

}
