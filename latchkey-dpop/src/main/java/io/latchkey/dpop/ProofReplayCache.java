package io.latchkey.dpop;

import java.time.Duration;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.oauth2.jwt.DPoPProofReplayValidator;
import org.springframework.util.Assert;

/**
 * The proofs already seen, in Redis, so that a proof used at one instance of a service is
 * refused at every other one: Spring's {@link DPoPProofReplayValidator} asks
 * {@link #putIfAbsent} with the SHA-256 of each proof's {@code jti}, and this answers
 * with one {@code SET NX PX} (kept for {@code window}, past which the proof's {@code iat}
 * is refused anyway). Nothing of a proof but that digest is stored.
 *
 * @since 0.1
 */
public final class ProofReplayCache implements Cache {

	/**
	 * How long a proof is remembered by default: twice the minute in which Spring
	 * Security accepts its {@code iat}, so that instances whose clocks differ a little
	 * still refuse a replay at the edge of that minute.
	 */
	public static final Duration WINDOW = Duration.ofSeconds(120);

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final Duration window;

	/**
	 * Proofs remembered for {@link #WINDOW}.
	 * @param redis where the proofs seen are kept
	 * @param keyPrefix the prefix of their keys (this service's, or the auth server's)
	 */
	public ProofReplayCache(StringRedisTemplate redis, String keyPrefix) {
		this(redis, keyPrefix, WINDOW);
	}

	/**
	 * @param redis where the proofs seen are kept
	 * @param keyPrefix the prefix of their keys (this service's, or the auth server's)
	 * @param window how long a proof is remembered: at least twice the accepted
	 * {@code iat} skew
	 */
	public ProofReplayCache(StringRedisTemplate redis, String keyPrefix, Duration window) {
		Assert.notNull(redis, "redis cannot be null");
		Assert.hasText(keyPrefix, "keyPrefix cannot be empty");
		Assert.isTrue(window.isPositive(), "window must be positive");
		this.redis = redis;
		this.keyPrefix = keyPrefix;
		this.window = window;
	}

	@Override
	public String getName() {
		return "dpop-proofs";
	}

	@Override
	public Object getNativeCache() {
		return this.redis;
	}

	@Override
	public @Nullable ValueWrapper get(Object key) {
		String seen = this.redis.opsForValue().get(key(key));
		return (seen != null) ? new SimpleValueWrapper(seen) : null;
	}

	@Override
	public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
		throw new UnsupportedOperationException("Proofs are only ever added");
	}

	@Override
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		throw new UnsupportedOperationException("Proofs are only ever added");
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		putIfAbsent(key, value);
	}

	/**
	 * Remembers a proof; {@code null} if it had not been seen, which is the only answer
	 * that lets it through.
	 */
	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		Boolean first = this.redis.opsForValue().setIfAbsent(key(key), "1", this.window);
		return Boolean.TRUE.equals(first) ? null : new SimpleValueWrapper(value);
	}

	@Override
	public void evict(Object key) {
	}

	@Override
	public void clear() {
	}

	private String key(Object jtiDigest) {
		return this.keyPrefix + ":dpop:" + jtiDigest;
	}

}
