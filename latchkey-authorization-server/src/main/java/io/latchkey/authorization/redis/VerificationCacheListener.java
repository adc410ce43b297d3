package io.latchkey.authorization.redis;

import java.nio.charset.StandardCharsets;

import io.latchkey.authorization.token.VerificationCache;
import io.latchkey.core.event.LatchkeyEventCodec;
import io.lettuce.core.event.connection.DisconnectedEvent;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.util.Assert;

/**
 * Applies the events on the channel (from every auth-server instance) to this instance's
 * verification cache. A message it cannot read, and every (re)subscription, drops the whole
 * cache: something may have been revoked meanwhile. {@link #watch} suspends the cache as soon
 * as Lettuce reports a dropped connection, until the subscription is confirmed again.
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
		this.codec.decode(new String(message.getBody(), StandardCharsets.UTF_8))
			.ifPresentOrElse(this.cache::apply, this.cache::dropAll);
	}

	/** Suspends the cache whenever a connection of these client resources drops. */
	public Disposable watch(ClientResources resources) {
		return resources.eventBus().get().filter(DisconnectedEvent.class::isInstance).subscribe((event) -> {
			if (this.cache.isLive()) {
				logger.info("A Redis connection dropped: verification cache suspended until the events "
						+ "subscription is confirmed again");
			}
			this.cache.suspend();
		});
	}

	@Override
	public void onChannelSubscribed(byte[] channel, long count) {
		this.cache.resume();
		if (logger.isDebugEnabled()) {
			logger.debug("Subscribed to the events channel; verification cache cleared");
		}
	}

}
