package io.latchkey.authorization.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.latchkey.authorization.notice.NewAddressClaims;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * New-address notice claims in Redis: one string per token id and network, holding when
 * it was claimed and expiring with the period (a single key, so any Cluster node).
 *
 * @since 0.1
 */
public final class RedisNewAddressClaims implements NewAddressClaims {

	private static final RedisScript<Long> CLAIM = LuaScripts.load("new-address-claim", Long.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	/**
	 * @param redis the Redis the tokens are in
	 * @param keys the key layout
	 */
	public RedisNewAddressClaims(StringRedisTemplate redis, RedisKeys keys) {
		Assert.notNull(redis, "redis cannot be null");
		Assert.notNull(keys, "keys cannot be null");
		this.redis = redis;
		this.keys = keys;
	}

	@Override
	public boolean claim(String tokenId, String network, Instant now, Duration within) {
		Long claimed = this.redis.execute(CLAIM, List.of(this.keys.newAddressNotice(tokenId, network)),
				Long.toString(now.toEpochMilli()), Long.toString(Math.max(1, within.toMillis())));
		return claimed != null && claimed == 1L;
	}

}
