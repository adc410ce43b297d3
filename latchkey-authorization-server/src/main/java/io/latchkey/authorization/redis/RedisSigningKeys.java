package io.latchkey.authorization.redis;

import java.text.ParseException;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * The keys every auth-server instance signs JWTs with (exchanged tokens, Spring
 * Authorization Server's own), so that a JWT from any instance verifies against any
 * instance's {@code /oauth2/jwks}. The first instance to need them generates an RSA key
 * and stores the set in Redis ({@code SET NX}: one set wins, all use it); every instance
 * reads it once and keeps it. Anyone who can read that key can sign tokens: a deployment
 * that cannot restrict its Redis to the auth servers configures its own key set
 * ({@code latchkey.exchange.jwk-set}) instead.
 */
public final class RedisSigningKeys implements JWKSource<SecurityContext> {

	private final StringRedisTemplate redis;

	private final String key;

	private volatile @Nullable JWKSet keys;

	public RedisSigningKeys(StringRedisTemplate redis, RedisKeys keys) {
		Assert.notNull(redis, "redis cannot be null");
		this.redis = redis;
		this.key = keys.signingKeys();
	}

	@Override
	public List<JWK> get(JWKSelector selector, @Nullable SecurityContext context) {
		return selector.select(keys());
	}

	private JWKSet keys() {
		JWKSet loaded = this.keys;
		if (loaded == null) {
			synchronized (this) {
				loaded = this.keys;
				if (loaded == null) {
					loaded = load();
					this.keys = loaded;
				}
			}
		}
		return loaded;
	}

	private JWKSet load() {
		this.redis.opsForValue().setIfAbsent(this.key, generate().toString(false));
		String stored = this.redis.opsForValue().get(this.key);
		Assert.state(stored != null, "The signing keys vanished from Redis");
		try {
			return JWKSet.parse(stored);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("The signing keys stored in Redis cannot be read", ex);
		}
	}

	private static JWKSet generate() {
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
				.keyID(UUID.randomUUID().toString())
				.generate();
			return new JWKSet(key);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not generate an RSA key", ex);
		}
	}

}
