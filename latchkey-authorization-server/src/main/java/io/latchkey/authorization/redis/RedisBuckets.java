package io.latchkey.authorization.redis;

import java.time.Clock;
import java.time.Duration;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.latchkey.authorization.throttle.LoginThrottle;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

/**
 * Bucket4j's buckets in the application's Redis, through the Lettuce client that Spring
 * Data Redis configured (standalone, Sentinel or Cluster alike), on a connection of their
 * own that opens and closes with the connection factory (after it, and before it).
 */
public final class RedisBuckets implements SmartLifecycle {

	private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	private final LettuceConnectionFactory connections;

	private final Clock clock;

	private volatile StatefulConnection<String, byte[]> connection;

	private volatile ProxyManager<String> proxyManager;

	public RedisBuckets(LettuceConnectionFactory connections, Clock clock) {
		this.connections = connections;
		this.clock = clock;
	}

	public ProxyManager<String> proxyManager() {
		ProxyManager<String> current = this.proxyManager;
		Assert.state(current != null, "The throttle's Redis connection is not open");
		return current;
	}

	@Override
	public synchronized void start() {
		if (this.connection != null) {
			return;
		}
		AbstractRedisClient client = this.connections.getRequiredNativeClient();
		Bucket4jLettuce.LettuceBasedProxyManagerBuilder<String> builder;
		if (client instanceof RedisClusterClient cluster) {
			StatefulRedisClusterConnection<String, byte[]> clusterConnection = cluster.connect(CODEC);
			this.connection = clusterConnection;
			builder = Bucket4jLettuce.casBasedBuilder(clusterConnection);
		}
		else {
			StatefulRedisConnection<String, byte[]> standalone = ((RedisClient) client).connect(CODEC);
			this.connection = standalone;
			builder = Bucket4jLettuce.casBasedBuilder(standalone);
		}
		this.proxyManager = builder.clientClock(LoginThrottle.timeMeter(this.clock))
			.requestTimeout(Duration.ofSeconds(2))
			.expirationAfterWrite(
					ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
			.build();
	}

	@Override
	public synchronized void stop() {
		if (this.connection != null) {
			this.connection.close();
			this.connection = null;
			this.proxyManager = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.connection != null;
	}

	/** After the connection factory has started, before it stops. */
	@Override
	public int getPhase() {
		return this.connections.getPhase() + 1;
	}

}
