package io.latchkey.resource.events;

import java.nio.charset.StandardCharsets;

import io.latchkey.core.event.LatchkeyEventCodec;
import io.latchkey.resource.introspection.IntrospectionCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.util.Assert;

/**
 * Applies the auth server's events to the introspection cache, by the shared rule of
 * {@link io.latchkey.core.cache.EventDrivenCache}: a revoked token's answer by its digest
 * (only that one), every answer of each user a user or group event names. A message it
 * cannot read drops everything, since it might have been a revocation. Whenever the
 * subscription is (re)established the whole cache goes, since events may have been missed
 * meanwhile.
 */
public final class RevocationListener implements MessageListener, SubscriptionListener {

	private static final Log logger = LogFactory.getLog(RevocationListener.class);

	private final IntrospectionCache cache;

	private final LatchkeyEventCodec codec;

	private Counter applied;

	private Counter unreadable;

	public RevocationListener(IntrospectionCache cache, LatchkeyEventCodec codec) {
		Assert.notNull(cache, "cache cannot be null");
		Assert.notNull(codec, "codec cannot be null");
		this.cache = cache;
		this.codec = codec;
		setMeterRegistry(new CompositeMeterRegistry());
	}

	/**
	 * Counts the events received in {@code meters} as
	 * {@code latchkey.resource.events.received}, by {@code outcome}: {@code applied}, or
	 * {@code unreadable} (every cached answer was dropped).
	 * @param meters where the counts go
	 */
	public void setMeterRegistry(MeterRegistry meters) {
		Assert.notNull(meters, "meters cannot be null");
		this.applied = outcome(meters, "applied");
		this.unreadable = outcome(meters, "unreadable");
	}

	private static Counter outcome(MeterRegistry meters, String outcome) {
		return Counter.builder("latchkey.resource.events.received")
			.description("Revocation events received from the auth server, by outcome")
			.tag("outcome", outcome)
			.register(meters);
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		if (this.cache.apply(this.codec, new String(message.getBody(), StandardCharsets.UTF_8))) {
			this.applied.increment();
		}
		else {
			this.unreadable.increment();
			logger.warn("Dropped every cached introspection answer: an event on the channel could not be read");
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
