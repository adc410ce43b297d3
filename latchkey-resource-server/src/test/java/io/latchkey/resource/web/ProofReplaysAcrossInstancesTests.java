package io.latchkey.resource.web;

import java.time.Duration;
import java.util.UUID;

import io.latchkey.dpop.ProofReplayCache;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DPoP proof used at one instance of a service is refused at every other: the proofs
 * seen live in Redis (one {@code SET NX PX} each), not in one process's memory. Two
 * caches with connections of their own stand for two instances.
 */
class ProofReplaysAcrossInstancesTests {

	private static final LettuceConnectionFactory one = connect();

	private static final LettuceConnectionFactory other = connect();

	@AfterAll
	static void close() {
		one.destroy();
		other.destroy();
	}

	@Test
	void proofWhenSeenByOneInstanceThenRefusedByAnotherAndNothingButItsDigestStored() {
		String prefix = "rs-test-" + UUID.randomUUID();
		ProofReplayCache first = new ProofReplayCache(new StringRedisTemplate(one), prefix, Duration.ofSeconds(60));
		ProofReplayCache second = new ProofReplayCache(new StringRedisTemplate(other), prefix, Duration.ofSeconds(60));
		String jtiDigest = "Wm9vbWVkIGluIG9uIGEgZGlnZXN0";
		assertThat(first.putIfAbsent(jtiDigest, "seen")).as("first use").isNull();
		assertThat(second.putIfAbsent(jtiDigest, "seen")).as("replayed at another instance").isNotNull();
		assertThat(first.putIfAbsent(jtiDigest, "seen")).as("replayed at the same instance").isNotNull();
		StringRedisTemplate redis = new StringRedisTemplate(one);
		assertThat(redis.keys(prefix + ":*")).containsExactly(prefix + ":dpop:" + jtiDigest);
		assertThat(redis.getExpire(prefix + ":dpop:" + jtiDigest)).isBetween(1L, 60L);
	}

	private static LettuceConnectionFactory connect() {
		return RealRedis.connectionFactory();
	}

}
