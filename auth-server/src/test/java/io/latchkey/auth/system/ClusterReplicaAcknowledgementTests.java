package io.latchkey.auth.system;

import io.latchkey.testsupport.RedisTopology;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link ReplicaAcknowledgementTests} on a Cluster: the wait goes to the primary of each
 * written key.
 */
class ClusterReplicaAcknowledgementTests extends ReplicaAcknowledgementTests {

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RedisTopology.cluster().register(registry);
		prefix(registry);
	}

	@Override
	RedisTopology topology() {
		return RedisTopology.cluster();
	}

}
