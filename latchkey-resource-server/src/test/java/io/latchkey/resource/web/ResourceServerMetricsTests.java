package io.latchkey.resource.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import io.latchkey.core.event.EventType;
import io.latchkey.core.event.LatchkeyEvent;
import io.latchkey.core.event.LatchkeyEventCodec;
import io.latchkey.resource.AuthServerStub;
import io.latchkey.resource.AuthServerStub.Answer;
import io.latchkey.testsupport.RealRedis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resource-server library's meters move when their events happen: the introspection
 * cache's hits and misses, the time of each question to the auth server, the revocation
 * events received, the requests answered 503; and {@code /actuator/prometheus} answers
 * the scrape user alone, never a bearer token.
 */
@SpringBootTest(classes = ResourceServerMetricsTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.security.oauth2.resourceserver.opaquetoken.client-id=orders",
				"spring.security.oauth2.resourceserver.opaquetoken.client-secret=orders-secret",
				"latchkey.metrics.scrape-password=" + ResourceServerMetricsTests.SCRAPE_PASSWORD,
				"management.endpoints.web.exposure.include=health,prometheus" })
class ResourceServerMetricsTests {

	static final String SCRAPE_PASSWORD = "scrape-test-password";

	private static final String CHANNEL = "metrics-tests-" + UUID.randomUUID() + ":events";

	private static final String UNAVAILABLE = "lkp_" + "u".repeat(36);

	private static final String INACTIVE = "lkp_" + "i".repeat(36);

	private static final AuthServerStub authServer = AuthServerStub.start()
		.answer("/oauth2/introspect", (form, headers) -> UNAVAILABLE.equals(form.get("token"))
				? new Answer("text/html", "<h1>Bad gateway</h1>")
				: INACTIVE.equals(form.get("token")) ? Answer.json("{\"active\":false}") : Answer
					.json("{\"active\":true,\"sub\":\"ci-bot\",\"scope\":\"orders.read\",\"aud\":[\"orders\"]}"));

	private static final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private StringRedisTemplate redis;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> RealRedis.uri().toString());
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri",
				authServer::introspectionUri);
		registry.add("latchkey.resource.events-channel", () -> CHANNEL);
	}

	@AfterAll
	static void stop() {
		authServer.stop();
	}

	@Test
	void introspectionWhenAskedThenTimedAndTheCacheCountsItsMissThenItsHit() throws Exception {
		String token = newToken();
		double asked = timed("active");
		double hits = cacheGets("hit");
		double misses = cacheGets("miss");

		assertThat(get("/orders", "Bearer " + token).statusCode()).isEqualTo(200);
		assertThat(timed("active")).isEqualTo(asked + 1);
		assertThat(cacheGets("miss")).isGreaterThan(misses);

		assertThat(get("/orders", "Bearer " + token).statusCode()).isEqualTo(200);
		assertThat(timed("active")).as("the cache answered: no question to the auth server").isEqualTo(asked + 1);
		assertThat(cacheGets("hit")).isEqualTo(hits + 1);
	}

	@Test
	void introspectionWhenTheTokenIsNotActiveThen401AndTimedAsInactive() throws Exception {
		double inactive = timed("inactive");
		assertThat(get("/orders", "Bearer " + INACTIVE).statusCode()).isEqualTo(401);
		assertThat(timed("inactive")).isEqualTo(inactive + 1);
	}

	@Test
	void eventWhenUnreadableThenCountedAsSuch() {
		double unreadable = count("latchkey.resource.events.received", "outcome", "unreadable");
		this.redis.convertAndSend(CHANNEL, "not an event");
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (count("latchkey.resource.events.received", "outcome", "unreadable") == unreadable
				&& System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(count("latchkey.resource.events.received", "outcome", "unreadable")).isEqualTo(unreadable + 1);
	}

	@Test
	void eventWhenReceivedThenCounted() throws Exception {
		String token = newToken();
		assertThat(get("/orders", "Bearer " + token).statusCode()).isEqualTo(200);
		double received = count("latchkey.resource.events.received", "outcome", "applied");
		this.redis.convertAndSend(CHANNEL,
				new LatchkeyEventCodec().encode(LatchkeyEvent.user(EventType.USER_DISABLED, "ci-bot", Instant.now())));
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (count("latchkey.resource.events.received", "outcome", "applied") == received
				&& System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(count("latchkey.resource.events.received", "outcome", "applied")).isEqualTo(received + 1);
	}

	@Test
	void authServerWhenItCannotAnswerThen503CountedAndTheQuestionTimedAsAnError() throws Exception {
		double unavailable = count("latchkey.resource.unavailable", "cause", "auth-server");
		double errors = timed("error");
		assertThat(get("/orders", "Bearer " + UNAVAILABLE).statusCode()).isEqualTo(503);
		assertThat(count("latchkey.resource.unavailable", "cause", "auth-server")).isEqualTo(unavailable + 1);
		assertThat(timed("error")).isEqualTo(errors + 1);
	}

	@Test
	void prometheusWhenScrapeUserThenTheMetersElseNobody() throws Exception {
		String token = newToken();
		get("/orders", "Bearer " + token);
		HttpResponse<String> scrape = get("/actuator/prometheus", basic("prometheus", SCRAPE_PASSWORD));
		assertThat(scrape.statusCode()).isEqualTo(200);
		assertThat(scrape.body()).contains("latchkey_resource_introspection_seconds_count{",
				"cache_gets_total{cache=\"introspection\"", "latchkey_resource_events_received_total{",
				"latchkey_resource_unavailable_total{");
		assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
		assertThat(get("/actuator/prometheus", basic("prometheus", "wrong")).statusCode()).isEqualTo(401);
		assertThat(get("/actuator/prometheus", "Bearer " + token).statusCode()).as("a token is not the scrape user")
			.isEqualTo(401);
	}

	private static String newToken() {
		return "lkp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 30) + "000000";
	}

	private static String basic(String username, String password) {
		return "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private double timed(String outcome) {
		return this.meters.get("latchkey.resource.introspection").tag("outcome", outcome).timer().count();
	}

	private double cacheGets(String result) {
		return this.meters.get("cache.gets").tags("cache", "introspection", "result", result).functionCounter().count();
	}

	private double count(String name, String tag, String value) {
		Search search = this.meters.find(name).tag(tag, value);
		return (search.counter() != null) ? search.counter().count()
				: (search.functionCounter() != null) ? search.functionCounter().count() : 0;
	}

	private HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (authorization != null) {
			request.header("Authorization", authorization);
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
		String orders() {
			return "orders";
		}

	}

}
