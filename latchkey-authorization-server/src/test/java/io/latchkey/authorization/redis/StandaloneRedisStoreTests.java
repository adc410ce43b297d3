package io.latchkey.authorization.redis;

import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The storage contract on a standalone Redis. */
class StandaloneRedisStoreTests extends RedisStoreContractTests {

	private static LettuceConnectionFactory connections;

	@BeforeAll
	static void connect() {
		connections = RealRedis.connectionFactory();
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
