package io.latchkey.authorization.redis;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * A change is acknowledged only once the replicas a failover could promote have it: after
 * each write that must not be lost (a token created, revoked or rotated, a directory
 * change), Redis's {@code WAIT} for {@code replicas} replicas within {@code timeout}, on
 * the connection that made the write. If they do not confirm in time, the call fails as a
 * storage failure (503): the change stands on the primary, and the caller, told it was
 * not acknowledged, retries or reports it, never takes it as done. With {@code replicas}
 * 0 (the default) nothing is awaited. On a Cluster the wait is on each primary that owns
 * one of the written keys' slots, on the very node connection that carried the write.
 */
public final class ReplicaAcknowledgement {

	private final int replicas;

	private final Duration timeout;

	private final Counter unconfirmed;

	public ReplicaAcknowledgement(int replicas, Duration timeout) {
		this(replicas, timeout, new CompositeMeterRegistry());
	}

	/**
	 * @param replicas replicas that must confirm each change (0: none awaited)
	 * @param timeout how long they are waited for
	 * @param meters where waits that ended without enough confirmations are counted, as
	 * {@code latchkey.redis.wait.unconfirmed}
	 */
	public ReplicaAcknowledgement(int replicas, Duration timeout, MeterRegistry meters) {
		Assert.isTrue(replicas >= 0, "replicas must not be negative");
		Assert.isTrue(timeout.isPositive(), "timeout must be positive");
		Assert.notNull(meters, "meters cannot be null");
		this.replicas = replicas;
		this.timeout = timeout;
		this.unconfirmed = Counter.builder("latchkey.redis.wait.unconfirmed")
			.description("Changes not acknowledged because too few replicas confirmed them in time (WAIT)")
			.register(meters);
	}

	/** No waiting: a deployment without replicas. */
	public static ReplicaAcknowledgement none() {
		return new ReplicaAcknowledgement(0, Duration.ofSeconds(1));
	}

	/**
	 * Waits until the configured replicas have every write made so far on {@code redis}'s
	 * connection; on a Cluster, on the primaries of {@code keys}' slots.
	 */
	void await(StringRedisTemplate redis, String... keys) {
		if (this.replicas == 0) {
			return;
		}
		Long acknowledged = redis.execute((RedisCallback<Long>) (connection) -> {
			Object commands = connection.getNativeConnection();
			if (commands instanceof RedisAdvancedClusterAsyncCommands<?, ?> cluster) {
				return awaitOnPrimaries(cluster.getStatefulConnection(), keys);
			}
			if (commands instanceof RedisAsyncCommands<?, ?> standalone) {
				return awaitOn(standalone);
			}
			throw new DataAccessResourceFailureException("latchkey.redis.wait-replicas needs Redis through Lettuce");
		});
		long count = (acknowledged != null) ? acknowledged : 0;
		if (count < this.replicas) {
			this.unconfirmed.increment();
			throw new DataAccessResourceFailureException("The change was made on the Redis primary but only " + count
					+ " of " + this.replicas + " replica(s) confirmed it within " + this.timeout.toMillis()
					+ " ms: it may be lost in a failover, so it is not acknowledged");
		}
	}

	/** The fewest confirmations among the primaries owning {@code keys}. */
	private long awaitOnPrimaries(StatefulRedisClusterConnection<?, ?> cluster, String... keys) {
		Assert.notEmpty(keys, "on a Cluster the written keys decide which primaries to wait for");
		Set<RedisURI> primaries = new LinkedHashSet<>();
		for (String key : keys) {
			primaries.add(cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key)).getUri());
		}
		long fewest = Long.MAX_VALUE;
		for (RedisURI primary : primaries) {
			fewest = Math.min(fewest, awaitOn(cluster.getConnection(primary.getHost(), primary.getPort()).async()));
		}
		return fewest;
	}

	/**
	 * Confirmations of {@code commands}' connection's writes; a wait that fails or times
	 * out confirms none.
	 */
	private long awaitOn(RedisAsyncCommands<?, ?> commands) {
		try {
			RedisFuture<Long> confirmed = commands.waitForReplication(this.replicas, this.timeout.toMillis());
			Long count = LettuceFutures.awaitOrCancel(confirmed, this.timeout.plusSeconds(2).toMillis(),
					TimeUnit.MILLISECONDS);
			return (count != null) ? count : 0;
		}
		catch (RedisException ex) {
			return 0;
		}
	}

}
