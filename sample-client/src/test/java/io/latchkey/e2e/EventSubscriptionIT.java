package io.latchkey.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

import static io.latchkey.e2e.Api.basic;
import static io.latchkey.e2e.Api.bearer;
import static io.latchkey.e2e.Api.send;
import static io.latchkey.e2e.Api.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the events subscription is down, the resource API warns, keeps serving what it
 * cached (bounded by the maximum age), reconnects by itself, and then drops its whole
 * cache because it may have missed revocations meanwhile. Runs on a redis-server of its
 * own, which it restarts.
 */
@DisabledIfEnvironmentVariable(named = "REDIS_TOPOLOGY", matches = "cluster|sentinel",
		disabledReason = "restarts a standalone redis-server of its own whatever REDIS_TOPOLOGY says: runs in the standalone pass")
class EventSubscriptionIT {

	@TempDir
	Path redisDir;

	@Test
	void subscriptionLostThenWarnKeepServingReconnectAndDropCache() throws Exception {
		int port = RealRedis.freePort();
		RedisServer redis = redis(port);
		redis.start();
		try (Stack stack = Stack.start("events", URI.create("redis://127.0.0.1:" + port))) {
			String token = send("POST", stack.authServer.url("/api/me/tokens"), basic("admin", Stack.ADMIN_PASSWORD),
					Map.of())
				.json()
				.get("token")
				.asString();
			assertThat(whoami(stack, token)).isEqualTo(200);
			assertThat(subscriptions(stack)).isEqualTo(1);

			redis.stop();
			assertThat(until(Duration.ofSeconds(10), () -> log(stack),
					(log) -> log.contains("Lost the Redis events subscription")))
				.contains("Lost the Redis events subscription");
			assertThat(whoami(stack, token)).as("cached answers keep serving").isEqualTo(200);

			redis = redis(port);
			redis.start();
			stack.resourceUser.applyTo(URI.create("redis://127.0.0.1:" + port));
			assertThat(until(Duration.ofSeconds(30), () -> subscriptions(stack), (count) -> count >= 2))
				.as("resubscribed by itself")
				.isGreaterThanOrEqualTo(2);
			double missesBefore = cacheMisses(stack);
			assertThat(whoami(stack, token)).isEqualTo(200);
			assertThat(cacheMisses(stack)).as("the cache was dropped on resubscription").isGreaterThan(missesBefore);
			stack.assertNoTokensInLogs();
		}
		finally {
			redis.stop();
		}
	}

	private RedisServer redis(int port) throws IOException {
		return RedisServer.newRedisServer()
			.port(port)
			.bind("127.0.0.1")
			.setting("dir " + this.redisDir)
			.setting("appendonly yes")
			.setting("appendfsync always")
			.build();
	}

	private static int whoami(Stack stack, String token) {
		return send("GET", stack.resourceApi.url("/api/whoami"), bearer(token), null).status();
	}

	private static long subscriptions(Stack stack) {
		return log(stack).lines().filter((line) -> line.contains("Subscribed to revocation events")).count();
	}

	private static double cacheMisses(Stack stack) {
		return send("GET",
				stack.resourceApi.managementUrl("/actuator/metrics/cache.gets?tag=cache:introspection&tag=result:miss"),
				null, null)
			.json()
			.get("measurements")
			.get(0)
			.get("value")
			.asDouble();
	}

	private static String log(Stack stack) {
		try {
			return Files.readString(stack.resourceApi.log());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
