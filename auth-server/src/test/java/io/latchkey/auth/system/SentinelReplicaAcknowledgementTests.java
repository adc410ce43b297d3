package io.latchkey.auth.system;

import io.latchkey.testsupport.RedisTopology;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ReplicaAcknowledgementTests} behind real Sentinels. */
class SentinelReplicaAcknowledgementTests extends ReplicaAcknowledgementTests {

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RedisTopology.sentinel().register(registry);
		prefix(registry);
	}

	@Override
	RedisTopology topology() {
		return RedisTopology.sentinel();
	}

}
