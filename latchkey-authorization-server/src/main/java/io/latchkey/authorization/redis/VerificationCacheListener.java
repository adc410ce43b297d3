package io.latchkey.authorization.redis;

import java.nio.charset.StandardCharsets;

import io.latchkey.authorization.token.VerificationCache;
import io.latchkey.core.event.LatchkeyEventCodec;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.util.Assert;

/**
 * Applies the events on the channel (from every auth-server instance) to this instance's
 * verification cache. A message it cannot read, and every (re)subscription, drops the
 * whole cache: something may have been revoked meanwhile. The cache is used only while it
 * is {@link #watch watched}: the listener suspends it as soon as Lettuce reports a
 * dropped data connection (on the connection's own event loop, before any later command
 * could fail), until the subscription is confirmed again. Unwatched (a client other than
 * Lettuce), it stays suspended: every verification reads Redis.
 */
public final class VerificationCacheListener implements MessageListener, SubscriptionListener {

	private static final Log logger = LogFactory.getLog(VerificationCacheListener.class);

	private final VerificationCache cache;

	private final LatchkeyEventCodec codec;

	public VerificationCacheListener(VerificationCache cache, LatchkeyEventCodec codec) {
		Assert.notNull(cache, "cache cannot be null");
		Assert.notNull(codec, "codec cannot be null");
		this.cache = cache;
		this.codec = codec;
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		this.cache.apply(this.codec, new String(message.getBody(), StandardCharsets.UTF_8));
	}

	private volatile boolean watched;

	/**
	 * Suspends the cache whenever a data connection of this client drops; from then on
	 * the cache may serve.
	 */
	public void watch(AbstractRedisClient client) {
		client.addListener(new RedisConnectionStateListener() {
			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
				disconnected(connection);
			}
		});
		this.watched = true;
	}

	/**
	 * A connection of the watched client dropped: the cache is suspended at once,
	 * whichever connection notices first. Sentinel connections carry no data and no
	 * events (a look-up is closed once answered) and leave it alone; otherwise every
	 * look-up would keep the cache suspended until the next resubscription.
	 */
	void disconnected(RedisChannelHandler<?, ?> connection) {
		if (connection instanceof StatefulRedisSentinelConnection<?, ?>) {
			return;
		}
		if (this.cache.isLive()) {
			logger.info("A Redis connection dropped: verification cache suspended until the events "
					+ "subscription is confirmed again");
		}
		this.cache.suspend();
	}

	@Override
	public void onChannelSubscribed(byte[] channel, long count) {
		if (this.watched) {
			this.cache.resume();
		}
		else {
			this.cache.dropAll();
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Subscribed to the events channel; verification cache cleared");
		}
	}

}
