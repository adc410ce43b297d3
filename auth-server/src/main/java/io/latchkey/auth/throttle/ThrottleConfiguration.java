package io.latchkey.auth.throttle;

import java.time.Clock;

import io.latchkey.auth.LatchkeyProperties;
import io.latchkey.auth.system.RedisKeys;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** The login throttle, its buckets in the application's Redis (see {@link RedisBuckets}). */
@Configuration(proxyBeanMethods = false)
class ThrottleConfiguration {

	@Bean
	RedisBuckets throttleBuckets(LettuceConnectionFactory connections, Clock clock) {
		return new RedisBuckets(connections, clock);
	}

	@Bean
	LoginThrottle loginThrottle(RedisBuckets throttleBuckets, LatchkeyProperties properties, RedisKeys keys) {
		return new LoginThrottle(throttleBuckets::proxyManager, properties.throttle(), keys.throttle(""));
	}

}
