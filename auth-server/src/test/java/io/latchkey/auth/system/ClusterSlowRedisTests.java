package io.latchkey.auth.system;

import java.time.Duration;
import java.util.UUID;

import io.latchkey.testsupport.RedisTopology;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link SlowRedisTests} on a Cluster with every node paused at once (the Cluster's own
 * bus goes on, so nothing fails over): the keys of a token and of the directory live on
 * different primaries, and none answers.
 */
class ClusterSlowRedisTests extends SlowRedisTests {

	private static final String PREFIX = "slow-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RedisTopology.cluster().register(registry);
		registry.add("latchkey.redis.key-prefix", () -> PREFIX);
		registry.add("latchkey.redis.events-channel", () -> PREFIX + ":events");
	}

	@Override
	void pause(Duration duration) {
		for (int port : RedisTopology.cluster().ports()) {
			RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				connection.sync().clientPause(duration.toMillis());
			}
			finally {
				client.shutdown();
			}
		}
	}

}
