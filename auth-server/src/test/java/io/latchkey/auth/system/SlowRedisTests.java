package io.latchkey.auth.system;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.latchkey.auth.Http;
import io.latchkey.testsupport.RealRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis that stops answering (paused with {@code CLIENT PAUSE}, as during a failover or a
 * stall) makes every request that needs it answer 503 with {@code Retry-After} once the command
 * timeout passes, never access and never a 500, and the server recovers by itself. Uses a
 * redis-server of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "latchkey.admin.password=slow-admin-password", "spring.data.redis.timeout=1s" })
class SlowRedisTests {

	private static final int REDIS_PORT = RealRedis.freePort();

	private static final RedisServer redis = OwnRedis.start(REDIS_PORT);

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + REDIS_PORT);
	}

	@AfterAll
	static void stop() throws IOException {
		redis.stop();
	}

	@Test
	void introspectionWhenRedisPausedThen503AfterTheTimeoutForEveryCallAndRecovery() throws Exception {
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			tokens.add(Http.post(url("/api/me/tokens"))
				.basic("admin", "slow-admin-password")
				.json("{}")
				.send()
				.json()
				.get("token")
				.asString());
		}
		pause(Duration.ofSeconds(4));
		ExecutorService callers = Executors.newFixedThreadPool(tokens.size());
		try {
			List<Future<Http.Response>> answers = new ArrayList<>();
			for (String token : tokens) {
				answers.add(callers.submit(() -> introspect(token)));
			}
			for (Future<Http.Response> answer : answers) {
				Http.Response response = answer.get();
				assertThat(response.status()).as(response.body()).isEqualTo(503);
				assertThat(response.header("Retry-After")).isNotBlank();
				assertThat(response.body()).doesNotContain("active").doesNotContain("Exception");
			}
		}
		finally {
			callers.shutdownNow();
		}
		Http.Response recovered = OwnRedis.eventually(() -> introspect(tokens.get(0)), (response) -> response.status() != 503);
		assertThat(recovered.json().get("active").asBoolean()).as("back by itself once Redis answers").isTrue();
	}

	private static void pause(Duration duration) {
		RedisClient client = RedisClient.create("redis://127.0.0.1:" + REDIS_PORT);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().clientPause(duration.toMillis());
		}
		finally {
			client.shutdown();
		}
	}

	private Http.Response introspect(String token) {
		return Http.post(url("/oauth2/introspect"))
			.basic("resource-api", "resource-api-secret")
			.form(Map.of("token", token))
			.send();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}
