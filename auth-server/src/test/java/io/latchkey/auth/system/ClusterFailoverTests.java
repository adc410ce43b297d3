package io.latchkey.auth.system;

import io.latchkey.testsupport.RedisTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code kill -9} of the Cluster primary that holds the directory slot ({@code {dir}}:
 * users, groups and every owner's token index), with
 * {@code latchkey.redis.wait-replicas=1}: its replica takes over, and the killed node,
 * restarted as a supervisor would, rejoins as the new primary's replica and confirms
 * writes again.
 */
@TestPropertySource(properties = { "latchkey.redis.wait-replicas=1", "latchkey.redis.wait-timeout=1s" })
@DisabledIfEnvironmentVariable(named = "REDIS_TOPOLOGY", matches = "cluster|sentinel",
		disabledReason = "kills a Redis set-up of its own, whatever REDIS_TOPOLOGY says")
class ClusterFailoverTests extends FailoverTests {

	private static final RedisTopology cluster = RedisTopology.newCluster();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		register(cluster, registry);
	}

	@AfterAll
	static void stop() {
		cluster.stop();
	}

	@Override
	RedisTopology topology() {
		return cluster;
	}

	@Override
	void fault(FailoverBurst burst) {
		int primary = cluster.primaryFor("{dir}");
		cluster.kill(primary);
		FailoverBurst.awaitOrFail(() -> cluster.primaryFor("{dir}") != primary, "the replica to take over");
		cluster.restart(primary);
	}

}
