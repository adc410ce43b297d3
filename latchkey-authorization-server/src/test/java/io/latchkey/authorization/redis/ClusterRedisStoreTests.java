package io.latchkey.authorization.redis;

import io.latchkey.testsupport.RedisTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The storage contract on a Redis Cluster of three primaries with a replica each
 * ({@link RedisTopology}).
 */
class ClusterRedisStoreTests extends RedisStoreContractTests {

	private static LettuceConnectionFactory connections;

	@BeforeAll
	static void connect() {
		connections = RedisTopology.cluster().connectionFactory();
	}

	@AfterAll
	static void disconnect() {
		connections.destroy();
	}

	@Override
	protected StringRedisTemplate redis() {
		return new StringRedisTemplate(connections);
	}

}
