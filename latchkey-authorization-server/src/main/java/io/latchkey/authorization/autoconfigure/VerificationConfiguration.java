package io.latchkey.authorization.autoconfigure;

import java.time.Clock;

import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.redis.VerificationCacheListener;
import io.latchkey.authorization.token.LastUseRecorder;
import io.latchkey.authorization.token.TokenRepository;
import io.latchkey.authorization.token.TokenVerifier;
import io.latchkey.authorization.token.VerificationCache;
import io.latchkey.core.TokenFormat;
import io.latchkey.core.event.LatchkeyEventCodec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The hot path: the verifier, the cache that makes a hot token cost no round trip, the
 * subscription that keeps that cache honest, and "last used" written in batches.
 */
@Configuration(proxyBeanMethods = false)
class VerificationConfiguration {

	@Bean
	@ConditionalOnMissingBean
	VerificationCache latchkeyVerificationCache(LatchkeyProperties properties, ObjectProvider<Clock> clock) {
		return new VerificationCache(properties.introspection().cacheMaxSize(),
				properties.introspection().cacheMaxAge(), Clocks.of(clock));
	}

	/**
	 * The verification cache's meters: {@code latchkey.verification.cache.gets} by
	 * {@code result} ({@code hit}, {@code miss}) and
	 * {@code latchkey.verification.cache.suspended} (seconds it stood aside, when events
	 * could not reach it).
	 */
	@Bean
	@ConditionalOnMissingBean(name = "latchkeyVerificationCacheMetrics")
	MeterBinder latchkeyVerificationCacheMetrics(VerificationCache cache) {
		return (meters) -> {
			FunctionCounter.builder("latchkey.verification.cache.gets", cache, VerificationCache::hits)
				.description("Token records asked of the verification cache, by result")
				.tag("result", "hit")
				.register(meters);
			FunctionCounter.builder("latchkey.verification.cache.gets", cache, VerificationCache::misses)
				.description("Token records asked of the verification cache, by result")
				.tag("result", "miss")
				.register(meters);
			FunctionCounter
				.builder("latchkey.verification.cache.suspended", cache,
						(verification) -> verification.timeSuspended().toNanos() / 1e9)
				.description("Time the verification cache stood aside because events could not reach it")
				.baseUnit("seconds")
				.register(meters);
		};
	}

	/**
	 * Every instance listens to the events, including its own, and drops what they make
	 * stale.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "latchkeyEventSubscription")
	RedisMessageListenerContainer latchkeyEventSubscription(RedisConnectionFactory connections,
			LatchkeyEventCodec codec, VerificationCache cache, LatchkeyProperties properties) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connections);
		container.setRecoveryBackoff(new FixedBackOff(1000, FixedBackOff.UNLIMITED_ATTEMPTS));
		VerificationCacheListener listener = new VerificationCacheListener(cache, codec);
		container.addMessageListener(listener, new ChannelTopic(properties.redis().eventsChannel()));
		if (connections instanceof LettuceConnectionFactory lettuce) {
			listener.watch(lettuce.getRequiredNativeClient());
		}
		return container;
	}

	/**
	 * Uses recorded in batches; a use from a new address goes out as a
	 * {@code TokenUsedFromNewAddress} application event, which the notices act on.
	 */
	@Bean
	@ConditionalOnMissingBean
	LastUseRecorder latchkeyLastUseRecorder(TokenRepository tokens, LatchkeyProperties properties,
			ApplicationEventPublisher events, ObjectProvider<Clock> clock) {
		LastUseRecorder recorder = new LastUseRecorder(tokens, properties.tokens().lastUsedInterval(),
				properties.tokens().lastUsedBatchEvery(), Clocks.of(clock));
		recorder.setEvents(events);
		return recorder;
	}

	/**
	 * The verifier; a rotated token presented again goes out as a
	 * {@code TokenReuseDetected} application event, which the token revocation service
	 * (or the application) acts on.
	 */
	@Bean
	@ConditionalOnMissingBean
	TokenVerifier latchkeyTokenVerifier(TokenRepository tokens, OwnerDirectory owners, LatchkeyProperties properties,
			VerificationCache cache, LastUseRecorder lastUses, ApplicationEventPublisher events,
			ObjectProvider<Clock> clock) {
		TokenVerifier verifier = new TokenVerifier(new TokenFormat(properties.tokens().prefix()), tokens, owners,
				lastUses, events);
		verifier.setClock(Clocks.of(clock));
		if (properties.introspection().cacheEnabled()) {
			verifier.setCache(cache);
		}
		return verifier;
	}

}
