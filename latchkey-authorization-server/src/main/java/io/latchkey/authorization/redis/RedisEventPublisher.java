package io.latchkey.authorization.redis;

import java.util.EnumMap;
import java.util.Map;

import io.latchkey.authorization.event.EventPublisher;
import io.latchkey.core.event.EventType;
import io.latchkey.core.event.LatchkeyEvent;
import io.latchkey.core.event.LatchkeyEventCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * Publishes events on a Redis pub/sub channel, one JSON object per message (see
 * {@link LatchkeyEventCodec}).
 */
public final class RedisEventPublisher implements EventPublisher {

	private final StringRedisTemplate redis;

	private final LatchkeyEventCodec codec;

	private final String channel;

	private final Map<EventType, Counter> published = new EnumMap<>(EventType.class);

	public RedisEventPublisher(StringRedisTemplate redis, LatchkeyEventCodec codec, String channel) {
		Assert.notNull(redis, "redis cannot be null");
		Assert.notNull(codec, "codec cannot be null");
		Assert.hasText(channel, "channel cannot be empty");
		this.redis = redis;
		this.codec = codec;
		this.channel = channel;
		setMeterRegistry(new CompositeMeterRegistry());
	}

	/**
	 * Counts the events published in {@code meters} as {@code latchkey.events.published},
	 * by {@code type} ({@code token.revoked}, {@code user.disabled}, ...).
	 * @param meters where the counts go
	 */
	public void setMeterRegistry(MeterRegistry meters) {
		Assert.notNull(meters, "meters cannot be null");
		for (EventType type : EventType.values()) {
			this.published.put(type,
					Counter.builder("latchkey.events.published")
						.description("Revocation events published to resource services and other instances, by type")
						.tag("type", type.wireName())
						.register(meters));
		}
	}

	@Override
	public void publish(LatchkeyEvent event) {
		this.redis.convertAndSend(this.channel, this.codec.encode(event));
		this.published.get(event.type()).increment();
	}

}
