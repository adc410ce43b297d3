package io.latchkey.auth.system;

import io.latchkey.testsupport.RedisTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code kill -9} of the primary behind three Sentinels, with two replicas and
 * {@code latchkey.redis.wait-replicas=1}: the Sentinels promote the replica that has the
 * most, which holds every acknowledged change, and the other replica confirms writes from
 * then on, so the service recovers without anyone restarting anything.
 */
@TestPropertySource(properties = { "latchkey.redis.wait-replicas=1", "latchkey.redis.wait-timeout=1s" })
@DisabledIfEnvironmentVariable(named = "REDIS_TOPOLOGY", matches = "cluster|sentinel",
		disabledReason = "kills a Redis set-up of its own, whatever REDIS_TOPOLOGY says")
class SentinelFailoverTests extends FailoverTests {

	private static final RedisTopology sentinel = RedisTopology.newSentinel(2);

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		register(sentinel, registry);
	}

	@AfterAll
	static void stop() {
		sentinel.stop();
	}

	@Override
	RedisTopology topology() {
		return sentinel;
	}

	@Override
	void fault(FailoverBurst burst) {
		sentinel.kill(sentinel.primaryFor(PREFIX));
	}

}
