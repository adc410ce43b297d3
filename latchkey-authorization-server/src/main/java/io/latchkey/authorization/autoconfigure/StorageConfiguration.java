package io.latchkey.authorization.autoconfigure;

import java.time.Clock;

import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.event.EventPublisher;
import io.latchkey.authorization.notice.ExpiryNoticeSchedule;
import io.latchkey.authorization.notice.NewAddressClaims;
import io.latchkey.authorization.notice.ExpiryNotifier;
import io.latchkey.authorization.notice.UnusedTokenSchedule;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.redis.RedisAuditLog;
import io.latchkey.authorization.redis.RedisDirectory;
import io.latchkey.authorization.redis.RedisEventPublisher;
import io.latchkey.authorization.redis.RedisKeys;
import io.latchkey.authorization.redis.RedisNewAddressClaims;
import io.latchkey.authorization.redis.RedisNoticeSchedule;
import io.latchkey.authorization.redis.RedisTokenRepository;
import io.latchkey.authorization.redis.RedisUnusedTokenSchedule;
import io.latchkey.authorization.redis.ReplicaAcknowledgement;
import io.latchkey.authorization.signals.SignalTransmitter;
import io.latchkey.authorization.token.TokenRepository;
import io.latchkey.authorization.token.VerificationCache;
import io.latchkey.core.event.LatchkeyEventCodec;
import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Where everything is kept and announced, in the Redis of {@code spring.data.redis.*}:
 * token records and their notice schedule, the directory, the audit streams, and the
 * events channel.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(StorageConfiguration.class);

	/**
	 * Fail fast while Redis is away: requests get their 503 at once; reconnection goes on
	 * behind.
	 */
	@Bean
	LettuceClientOptionsBuilderCustomizer latchkeyRejectCommandsWhileDisconnected() {
		return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Bean
	@ConditionalOnMissingBean
	RedisKeys latchkeyRedisKeys(LatchkeyProperties properties) {
		return new RedisKeys(properties.redis().keyPrefix());
	}

	@Bean
	@ConditionalOnMissingBean
	LatchkeyEventCodec latchkeyEventCodec() {
		return new LatchkeyEventCodec();
	}

	@Bean
	@ConditionalOnMissingBean(TokenRepository.class)
	RedisTokenRepository latchkeyTokenRepository(StringRedisTemplate redis, RedisKeys keys,
			LatchkeyProperties properties, ObjectProvider<Clock> clock, ObjectProvider<MeterRegistry> meters) {
		RedisTokenRepository tokens = new RedisTokenRepository(redis, keys);
		tokens.setClock(Clocks.of(clock));
		tokens.setFirstNoticeLead(ExpiryNotifier.firstNoticeLead(properties.notices().stages()));
		tokens.setReplicaAcknowledgement(replicaAcknowledgement(properties, meters));
		return tokens;
	}

	/**
	 * The schedule shares its data with Latchkey's token records (the first notice is due
	 * from the moment a record is saved): it comes with them. An application with a token
	 * store of its own declares its own schedule, or has no expiry notices.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(RedisTokenRepository.class)
	ExpiryNoticeSchedule latchkeyExpiryNoticeSchedule(StringRedisTemplate redis, RedisKeys keys) {
		return new RedisNoticeSchedule(redis, keys);
	}

	/**
	 * The pass over idle tokens reads Latchkey's token records and its directory's users:
	 * it comes with the records. An application with a token store of its own declares
	 * its own, or has no revocation of unused tokens.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(RedisTokenRepository.class)
	UnusedTokenSchedule latchkeyUnusedTokenSchedule(StringRedisTemplate redis, RedisKeys keys) {
		return new RedisUnusedTokenSchedule(redis, keys);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(RedisTokenRepository.class)
	NewAddressClaims latchkeyNewAddressClaims(StringRedisTemplate redis, RedisKeys keys) {
		return new RedisNewAddressClaims(redis, keys);
	}

	@Bean
	@ConditionalOnMissingBean(OwnerDirectory.class)
	RedisDirectory latchkeyDirectory(StringRedisTemplate redis, RedisKeys keys, LatchkeyProperties properties,
			ObjectProvider<MeterRegistry> meters) {
		RedisDirectory directory = new RedisDirectory(redis, keys);
		directory.setReplicaAcknowledgement(replicaAcknowledgement(properties, meters));
		return directory;
	}

	@Bean
	@ConditionalOnMissingBean(AuditLog.class)
	RedisAuditLog latchkeyAuditLog(StringRedisTemplate redis, RedisKeys keys, LatchkeyProperties properties,
			ObjectProvider<Clock> clock) {
		return new RedisAuditLog(redis, keys, properties.redis().auditMaxLength(),
				properties.redis().attemptsMaxLength(), properties.throttle().window(), Clocks.of(clock));
	}

	/**
	 * Events go to this instance's verification cache first (so that a revocation is
	 * effective here before it is answered), then to every other instance and resource
	 * service on the channel, then, with Shared Signals on, into the receivers' streams
	 * (whose failure never fails the change: a revocation chain goes on).
	 */
	@Bean
	@ConditionalOnMissingBean
	EventPublisher latchkeyEventPublisher(StringRedisTemplate redis, LatchkeyEventCodec codec,
			LatchkeyProperties properties, VerificationCache cache, ObjectProvider<SignalTransmitter> signals,
			ObjectProvider<MeterRegistry> meters) {
		RedisEventPublisher everywhere = new RedisEventPublisher(redis, codec, properties.redis().eventsChannel());
		meters.ifAvailable(everywhere::setMeterRegistry);
		SignalTransmitter transmitter = signals.getIfAvailable();
		if (transmitter == null) {
			return (event) -> {
				cache.apply(event);
				everywhere.publish(event);
			};
		}
		return (event) -> {
			cache.apply(event);
			everywhere.publish(event);
			try {
				transmitter.publish(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Shared Signals could not keep a {} event ({}); the change itself stands", event.type(),
						ex.getClass().getSimpleName());
			}
		};
	}

	private static ReplicaAcknowledgement replicaAcknowledgement(LatchkeyProperties properties,
			ObjectProvider<MeterRegistry> meters) {
		return new ReplicaAcknowledgement(properties.redis().waitReplicas(), properties.redis().waitTimeout(),
				meters.getIfAvailable(CompositeMeterRegistry::new));
	}

}
