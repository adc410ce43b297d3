package io.latchkey.authorization.autoconfigure;

import java.time.Clock;

import io.latchkey.authorization.redis.RedisBuckets;
import io.latchkey.authorization.redis.RedisKeys;
import io.latchkey.authorization.throttle.LoginThrottle;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Guessing throttled: Bucket4j buckets in Redis, shared by every instance. */
@Configuration(proxyBeanMethods = false)
class ThrottleConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisBuckets latchkeyThrottleBuckets(LettuceConnectionFactory connections, ObjectProvider<Clock> clock) {
		return new RedisBuckets(connections, Clocks.of(clock));
	}

	@Bean
	@ConditionalOnMissingBean
	LoginThrottle latchkeyLoginThrottle(RedisBuckets buckets, LatchkeyProperties properties, RedisKeys keys,
			ObjectProvider<MeterRegistry> meters) {
		LoginThrottle throttle = new LoginThrottle(buckets::proxyManager, properties.throttle(), keys.throttle(""));
		meters.ifAvailable(throttle::setMeterRegistry);
		return throttle;
	}

}
