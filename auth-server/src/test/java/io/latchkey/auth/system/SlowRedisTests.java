package io.latchkey.auth.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.latchkey.auth.Http;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis that stops answering (paused with {@code CLIENT PAUSE}, as during a failover or
 * a stall) makes every request that needs it answer 503 with {@code Retry-After} once the
 * command timeout passes, never access and never a 500, and the server recovers by
 * itself. On a standalone redis-server of its own and on a Cluster (every primary
 * paused), in the subclasses; a paused primary behind Sentinels is failed over, which
 * {@link SentinelFailoverTests} covers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "latchkey.admin.password=slow-admin-password", "spring.data.redis.timeout=1s" })
abstract class SlowRedisTests {

	@LocalServerPort
	private int port;

	/** Makes Redis stop answering every client for {@code duration}. */
	abstract void pause(Duration duration);

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
		Http.Response recovered = OwnRedis.eventually(() -> introspect(tokens.get(0)),
				(response) -> response.status() != 503);
		assertThat(recovered.json().get("active").asBoolean()).as("back by itself once Redis answers").isTrue();
	}

	private Http.Response introspect(String token) {
		return Http.post(url("/oauth2/introspect"))
			.basic("resource-api", "resource-api-test-secret")
			.form(Map.of("token", token))
			.send();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}
