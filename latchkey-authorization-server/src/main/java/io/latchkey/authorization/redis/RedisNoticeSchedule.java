package io.latchkey.authorization.redis;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.latchkey.authorization.notice.ExpiryNoticeSchedule;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * The expiry-notice schedule in Redis: a sorted set of token digests by when their next
 * notice is due, in the directory slot, and in each token's record the stage claimed
 * last.
 *
 * @since 0.1
 */
public final class RedisNoticeSchedule implements ExpiryNoticeSchedule {

	private static final RedisScript<String> NOTICE = LuaScripts.load("token-notice", String.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	/**
	 * @param redis the Redis the tokens are in
	 * @param keys the key layout
	 */
	public RedisNoticeSchedule(StringRedisTemplate redis, RedisKeys keys) {
		Assert.notNull(redis, "redis cannot be null");
		Assert.notNull(keys, "keys cannot be null");
		this.redis = redis;
		this.keys = keys;
	}

	@Override
	public List<String> noticesDue(Instant now, int limit) {
		Set<String> digests = this.redis.opsForZSet()
			.rangeByScore(this.keys.expiries(), Double.NEGATIVE_INFINITY, now.toEpochMilli(), 0, limit);
		return (digests != null) ? List.copyOf(digests) : List.of();
	}

	@Override
	public void scheduleNotice(String digest, Instant dueAt) {
		this.redis.opsForZSet().add(this.keys.expiries(), digest, dueAt.toEpochMilli());
	}

	@Override
	public void unschedule(String digest) {
		this.redis.opsForZSet().remove(this.keys.expiries(), digest);
	}

	@Override
	public Optional<String> claimNotice(String digest, int stage) {
		return Optional
			.ofNullable(this.redis.execute(NOTICE, List.of(this.keys.token(digest)), Integer.toString(stage)));
	}

	@Override
	public void releaseNotice(String digest, String previous) {
		if (previous.isEmpty()) {
			this.redis.opsForHash().delete(this.keys.token(digest), TokenRecordCodec.NOTICE);
		}
		else {
			this.redis.opsForHash().put(this.keys.token(digest), TokenRecordCodec.NOTICE, previous);
		}
	}

}
