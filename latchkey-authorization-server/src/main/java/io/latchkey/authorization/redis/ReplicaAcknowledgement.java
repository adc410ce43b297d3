package io.latchkey.authorization.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.api.async.RedisAsyncCommands;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * A change is acknowledged only once the replicas a failover could promote have it: after each
 * write that must not be lost (a token created, revoked or rotated, a directory change), Redis's
 * {@code WAIT} for {@code replicas} replicas within {@code timeout}, on the connection that made
 * the write. If they do not confirm in time, the call fails as a storage failure (503): the change
 * stands on the primary, and the caller, told it was not acknowledged, retries or reports it,
 * never takes it as done. With {@code replicas} 0 (the default) nothing is awaited.
 */
public final class ReplicaAcknowledgement {

	private final int replicas;

	private final Duration timeout;

	public ReplicaAcknowledgement(int replicas, Duration timeout) {
		Assert.isTrue(replicas >= 0, "replicas must not be negative");
		Assert.isTrue(timeout.isPositive(), "timeout must be positive");
		this.replicas = replicas;
		this.timeout = timeout;
	}

	/** No waiting: a deployment without replicas. */
	public static ReplicaAcknowledgement none() {
		return new ReplicaAcknowledgement(0, Duration.ofSeconds(1));
	}

	/** Waits until the configured replicas have every write made so far on {@code redis}'s connection. */
	void await(StringRedisTemplate redis) {
		if (this.replicas == 0) {
			return;
		}
		Long acknowledged = redis.execute((RedisCallback<Long>) (connection) -> {
			if (!(connection.getNativeConnection() instanceof RedisAsyncCommands<?, ?> commands)) {
				throw new DataAccessResourceFailureException(
						"latchkey.redis.wait-replicas needs a standalone or Sentinel Redis through Lettuce");
			}
			return LettuceFutures.awaitOrCancel(commands.waitForReplication(this.replicas, this.timeout.toMillis()),
					this.timeout.plusSeconds(2).toMillis(), TimeUnit.MILLISECONDS);
		});
		long count = (acknowledged != null) ? acknowledged : 0;
		if (count < this.replicas) {
			throw new DataAccessResourceFailureException("The change was made on the Redis primary but only " + count
					+ " of " + this.replicas + " replica(s) confirmed it within " + this.timeout.toMillis()
					+ " ms: it may be lost in a failover, so it is not acknowledged");
		}
	}

}
