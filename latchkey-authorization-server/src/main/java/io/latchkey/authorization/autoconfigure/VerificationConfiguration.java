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

	@Bean
	@ConditionalOnMissingBean
	LastUseRecorder latchkeyLastUseRecorder(TokenRepository tokens, LatchkeyProperties properties,
			ObjectProvider<Clock> clock) {
		return new LastUseRecorder(tokens, properties.tokens().lastUsedInterval(),
				properties.tokens().lastUsedBatchEvery(), Clocks.of(clock));
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
