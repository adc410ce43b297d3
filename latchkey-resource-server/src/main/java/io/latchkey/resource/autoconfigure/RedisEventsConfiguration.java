package io.latchkey.resource.autoconfigure;

import io.latchkey.core.event.LatchkeyEventCodec;
import io.latchkey.dpop.ProofReplayCache;
import io.latchkey.resource.events.RevocationListener;
import io.latchkey.resource.introspection.IntrospectionCache;
import io.latchkey.resource.web.LatchkeyResourceServerConfigurer;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cache.Cache;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.ClassUtils;
import org.springframework.util.backoff.FixedBackOff;

/**
 * What Latchkey keeps in the service's Redis, when Spring Data Redis is on the classpath
 * and Spring Boot made a connection factory ({@code spring.data.redis.*}): the
 * subscription to the auth server's events (unless they come by Shared Signals), and the
 * DPoP proofs seen, shared by every instance. Without Redis on the classpath none of this
 * is loaded.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, RedisMessageListenerContainer.class })
@ConditionalOnBean(RedisConnectionFactory.class)
class RedisEventsConfiguration {

	private static final Log logger = LogFactory.getLog(RedisEventsConfiguration.class);

	private static final boolean LETTUCE = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			RedisEventsConfiguration.class.getClassLoader());

	/**
	 * The DPoP proofs this service has seen, in Redis under
	 * {@code latchkey.resource.key-prefix}: a proof used at one instance is refused at
	 * every other.
	 */
	@Bean(LatchkeyResourceServerConfigurer.PROOF_REPLAYS)
	@ConditionalOnMissingBean(name = LatchkeyResourceServerConfigurer.PROOF_REPLAYS)
	Cache latchkeyProofReplays(RedisConnectionFactory connections, LatchkeyResourceServerProperties properties) {
		return new ProofReplayCache(new StringRedisTemplate(connections), properties.keyPrefix());
	}

	/**
	 * The subscription to the auth server's events, retried every second while Redis is
	 * away.
	 */
	@Bean
	@ConditionalOnProperty(prefix = "latchkey.resource.events", name = "source", havingValue = "redis",
			matchIfMissing = true)
	@ConditionalOnMissingBean(name = "latchkeyRevocationEvents")
	RedisMessageListenerContainer latchkeyRevocationEvents(RedisConnectionFactory connections, IntrospectionCache cache,
			LatchkeyEventCodec codec, LatchkeyResourceServerProperties properties,
			ObjectProvider<MeterRegistry> meters) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connections);
		container.setRecoveryBackoff(new FixedBackOff(1000, FixedBackOff.UNLIMITED_ATTEMPTS));
		RevocationListener events = new RevocationListener(cache, codec);
		meters.ifAvailable(events::setMeterRegistry);
		container.addMessageListener(events, new ChannelTopic(properties.eventsChannel()));
		if (LETTUCE) {
			LostSubscription.warnOf(connections, properties);
		}
		return container;
	}

	/** Lettuce's word that the subscription's connection dropped, as a warning. */
	private static final class LostSubscription {

		static void warnOf(RedisConnectionFactory connections, LatchkeyResourceServerProperties properties) {
			if (!(connections instanceof LettuceConnectionFactory lettuce)) {
				return;
			}
			// Only the subscription's connection: Sentinel look-ups and Cluster topology
			// refreshes open and close connections of their own all the time.
			lettuce.getRequiredNativeClient().addListener(new RedisConnectionStateListener() {
				@Override
				public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
					if (connection instanceof StatefulRedisPubSubConnection<?, ?>) {
						logger.warn("Lost the Redis events subscription: revocation events may be missed until it "
								+ "is back; cached introspection answers stay at most "
								+ properties.introspection().cacheMaxAge());
					}
				}
			});
		}

	}

}
