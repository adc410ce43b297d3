package io.latchkey.authorization.redis;

import io.latchkey.authorization.event.EventPublisher;
import io.latchkey.core.event.LatchkeyEvent;
import io.latchkey.core.event.LatchkeyEventCodec;

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

	public RedisEventPublisher(StringRedisTemplate redis, LatchkeyEventCodec codec, String channel) {
		Assert.notNull(redis, "redis cannot be null");
		Assert.notNull(codec, "codec cannot be null");
		Assert.hasText(channel, "channel cannot be empty");
		this.redis = redis;
		this.codec = codec;
		this.channel = channel;
	}

	@Override
	public void publish(LatchkeyEvent event) {
		this.redis.convertAndSend(this.channel, this.codec.encode(event));
	}

}
