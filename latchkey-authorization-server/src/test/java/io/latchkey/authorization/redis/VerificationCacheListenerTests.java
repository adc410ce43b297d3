package io.latchkey.authorization.redis;

import java.time.Duration;
import java.time.Instant;

import io.latchkey.authorization.token.VerificationCache;
import io.latchkey.core.event.LatchkeyEventCodec;
import io.latchkey.testsupport.MutableClock;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

/**
 * The verification cache stands aside whenever Redis may be unreachable: a data or
 * subscription connection dropping suspends it, and the Sentinel look-ups that Lettuce
 * opens and closes by design leave it alone, so that hot tokens keep costing no round
 * trip behind Sentinels.
 */
class VerificationCacheListenerTests {

	private final VerificationCache cache = new VerificationCache(100, Duration.ofSeconds(30),
			new MutableClock(Instant.parse("2026-11-24T10:00:00Z")));

	private final VerificationCacheListener listener = new VerificationCacheListener(this.cache,
			new LatchkeyEventCodec());

	@Test
	void disconnectedWhenADataOrSubscriptionConnectionDropsThenSuspended() {
		this.cache.resume();
		this.listener.disconnected(mock(RedisChannelHandler.class));
		assertThat(this.cache.isLive()).isFalse();
		this.cache.resume();
		this.listener.disconnected(connection(StatefulRedisPubSubConnection.class));
		assertThat(this.cache.isLive()).isFalse();
	}

	@Test
	void disconnectedWhenASentinelLookUpClosesItsConnectionThenTheCacheStaysLive() {
		this.cache.resume();
		this.listener.disconnected(connection(StatefulRedisSentinelConnection.class));
		assertThat(this.cache.isLive()).isTrue();
	}

	private static RedisChannelHandler<?, ?> connection(Class<?> kind) {
		return mock(RedisChannelHandler.class, withSettings().extraInterfaces(kind));
	}

}
