package io.latchkey.resource.events;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.latchkey.core.event.LatchkeyEvent;
import io.latchkey.core.event.LatchkeyEventCodec;
import io.latchkey.resource.introspection.IntrospectionCache;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.util.Assert;

/**
 * Applies the auth server's events to the introspection cache, as the shared contract says
 * (see {@link io.latchkey.core.event.EventType}): a revoked token's answer by its digest (only
 * that one), every answer of each user a user or group event names. A message it cannot read
 * drops everything, since it might have been a revocation. Whenever the subscription is
 * (re)established the whole cache goes, since events may have been missed meanwhile.
 */
public final class RevocationListener implements MessageListener, SubscriptionListener {

	private static final Log logger = LogFactory.getLog(RevocationListener.class);

	private final IntrospectionCache cache;

	private final LatchkeyEventCodec codec;

	public RevocationListener(IntrospectionCache cache, LatchkeyEventCodec codec) {
		Assert.notNull(cache, "cache cannot be null");
		Assert.notNull(codec, "codec cannot be null");
		this.cache = cache;
		this.codec = codec;
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		Optional<LatchkeyEvent> decoded = this.codec.decode(new String(message.getBody(), StandardCharsets.UTF_8));
		if (decoded.isEmpty()) {
			logger.warn("Dropped every cached introspection answer: an event on the channel could not be read");
			this.cache.dropAll();
			return;
		}
		LatchkeyEvent event = decoded.get();
		switch (event.type().reach()) {
			case TOKEN -> {
				if (event.tokenDigest() != null) {
					this.cache.dropDigest(event.tokenDigest());
				}
				else {
					this.cache.dropAll();
				}
			}
			case USERS -> event.usernames().forEach(this.cache::dropUser);
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Applied event " + event.type().wireName());
		}
	}

	@Override
	public void onChannelSubscribed(byte[] channel, long count) {
		this.cache.dropAll();
		logger.info("Subscribed to revocation events on " + new String(channel, StandardCharsets.UTF_8)
				+ "; introspection cache cleared");
	}

	@Override
	public void onChannelUnsubscribed(byte[] channel, long count) {
		logger.warn("Unsubscribed from revocation events; cached answers are bounded by the maximum age");
	}

}
