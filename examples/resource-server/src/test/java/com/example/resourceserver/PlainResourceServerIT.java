package com.example.resourceserver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.latchkey.resource.introspection.IntrospectionCache;
import io.latchkey.testsupport.AppProcess;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain Spring Boot resource service plus only the Latchkey dependency, against the
 * plain example authorization server running as a process of its own: 200 with the scope,
 * 403 without, 401 within a second of revocation although the answer was cached, and 503
 * (never access) when the auth server is down and the token is not cached.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlainResourceServerIT {

	private static final String PREFIX = "example-rs-" + UUID.randomUUID().toString().substring(0, 8);

	private static final String ADMIN_PASSWORD = "example-admin-password";

	/** The secret both processes are given; neither has a default. */
	private static final String ORDERS_SERVICE_SECRET = "orders-service-test-secret";

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

	private static AppProcess authServer;

	@LocalServerPort
	private int port;

	@Autowired
	private IntrospectionCache cache;

	@DynamicPropertySource
	static void authServerAndRedis(DynamicPropertyRegistry registry) {
		authServer = new AppProcess("example-authorization-server",
				Path.of("..", "authorization-server", "target", "latchkey-example-authorization-server-exec.jar"),
				RealRedis.freePort(), Path.of("target", "it", "example-authorization-server.log"),
				List.of("--spring.data.redis.url=" + RealRedis.uri(), "--latchkey.redis.key-prefix=" + PREFIX,
						"--latchkey.redis.events-channel=" + PREFIX + ":events",
						"--latchkey.admin.password=" + ADMIN_PASSWORD,
						"--ORDERS_SERVICE_SECRET=" + ORDERS_SERVICE_SECRET))
			.readyWhen("/.well-known/oauth-authorization-server")
			.start();
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri",
				() -> authServer.url("/oauth2/introspect"));
		registry.add("spring.data.redis.url", () -> RealRedis.uri().toString());
		registry.add("latchkey.resource.events-channel", () -> PREFIX + ":events");
		registry.add("latchkey.resource.introspection.read-timeout", () -> "2s");
		registry.add("ORDERS_SERVICE_SECRET", () -> ORDERS_SERVICE_SECRET);
	}

	@AfterAll
	static void stopAuthServer() {
		authServer.close();
	}

	@Test
	@Order(1)
	void ordersWhenTheTokenHasTheScopeThen200() throws Exception {
		String token = generate("[\"orders.read\"]").get("token").asString();
		HttpResponse<String> orders = orders("GET", token);
		assertThat(orders.statusCode()).isEqualTo(200);
		assertThat(orders.body()).contains("\"customer\":\"admin\"");
	}

	@Test
	@Order(2)
	void ordersWhenTheTokenLacksTheScopeThen403() throws Exception {
		String token = generate("[\"orders.read\"]").get("token").asString();
		HttpResponse<String> place = orders("POST", token);
		assertThat(place.statusCode()).isEqualTo(403);
		assertThat(place.headers().firstValue("WWW-Authenticate").orElse("")).contains("insufficient_scope");
	}

	@Test
	@Order(3)
	void revokedWhenTheAnswerWasCachedThen401WithinASecond() throws Exception {
		JsonNode created = generate("[\"orders.read\"]");
		String token = created.get("token").asString();
		assertThat(orders("GET", token).statusCode()).isEqualTo(200);
		assertThat(this.cache.get(token, null)).as("the answer is cached").isNotNull();

		HttpResponse<String> revoked = send(
				HttpRequest.newBuilder(URI.create(authServer.url("/api/me/tokens/" + created.get("id").asString())))
					.header("Authorization", basic("admin", ADMIN_PASSWORD))
					.DELETE());
		assertThat(revoked.statusCode()).isEqualTo(204);

		long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
		int status = orders("GET", token).statusCode();
		while (status != 401 && System.nanoTime() < deadline) {
			Thread.onSpinWait();
			status = orders("GET", token).statusCode();
		}
		assertThat(status).as("refused within a second of the revocation").isEqualTo(401);
	}

	@Test
	@Order(4)
	void ordersWhenTheAuthServerIsDownAndTheTokenNotCachedThen503NeverAccess() throws Exception {
		String token = generate("[\"orders.read\"]").get("token").asString();
		authServer.close();
		HttpResponse<String> orders = orders("GET", token);
		assertThat(orders.statusCode()).isEqualTo(503);
		assertThat(orders.headers().firstValue("Retry-After")).isPresent();
		assertThat(orders.body()).doesNotContain("customer");
	}

	private JsonNode generate(String scopes) throws Exception {
		HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(authServer.url("/api/me/tokens")))
			.header("Authorization", basic("admin", ADMIN_PASSWORD))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"scopes\":" + scopes + "}")));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return json.readTree(created.body());
	}

	private HttpResponse<String> orders(String method, String token) throws Exception {
		return send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/orders"))
			.header("Authorization", "Bearer " + token)
			.method(method, HttpRequest.BodyPublishers.noBody()));
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
