package io.latchkey.authorization.autoconfigure;

import java.text.ParseException;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.latchkey.authorization.redis.RedisKeys;
import io.latchkey.authorization.redis.RedisSigningKeys;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.StringUtils;

/**
 * The keys this server signs JWTs with, the same on every instance and across restarts.
 */
@Configuration(proxyBeanMethods = false)
class SigningKeysConfiguration {

	/**
	 * The keys this server signs JWTs with (exchanged PATs, and Spring Authorization
	 * Server's own, whose stock key would differ per instance and per restart): from
	 * {@code latchkey.exchange.jwk-set}, or generated once and kept in Redis.
	 */
	@Bean
	@ConditionalOnMissingBean
	JWKSource<SecurityContext> latchkeyJwkSource(LatchkeyProperties properties, StringRedisTemplate redis,
			RedisKeys keys) throws ParseException {
		String configured = properties.exchange().jwkSet();
		return StringUtils.hasText(configured) ? new ImmutableJWKSet<>(JWKSet.parse(configured))
				: new RedisSigningKeys(redis, keys);
	}

}
