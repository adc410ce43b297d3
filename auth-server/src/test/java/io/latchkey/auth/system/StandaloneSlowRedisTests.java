package io.latchkey.auth.system;

import java.io.IOException;
import java.time.Duration;

import io.latchkey.testsupport.RealRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import redis.embedded.RedisServer;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link SlowRedisTests} on a standalone redis-server of its own. */
class StandaloneSlowRedisTests extends SlowRedisTests {

	private static final int REDIS_PORT = RealRedis.freePort();

	private static final RedisServer redis = OwnRedis.start(REDIS_PORT);

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + REDIS_PORT);
	}

	@AfterAll
	static void stop() throws IOException {
		redis.stop();
	}

	@Override
	void pause(Duration duration) {
		RedisClient client = RedisClient.create("redis://127.0.0.1:" + REDIS_PORT);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().clientPause(duration.toMillis());
		}
		finally {
			client.shutdown();
		}
	}

}
