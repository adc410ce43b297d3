package io.latchkey.authorization.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.latchkey.authorization.notice.IdleClock;
import io.latchkey.authorization.notice.UnusedTokenSchedule;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * The pass over idle tokens in Redis. The owners are those who were given a token
 * ({@link RedisKeys#tokenOwners}, kept by token creation, whether or not Latchkey's
 * directory holds them) and the directory's users (owners of tokens made before that set
 * existed); a page of owners costs two pipelined round trips: their indexes (in the
 * directory slot), then {@link TokenRecordCodec#IDLE_FIELDS} of each live token's record
 * (in its own slot). Owners whose index is gone leave the set, in one more round trip for
 * the page. Nothing is written per use beyond what recording "last used" writes; a claim
 * is one Lua script on the token's record alone (its slot), in its {@code unused} field.
 *
 * @since 0.1
 */
public final class RedisUnusedTokenSchedule implements UnusedTokenSchedule {

	private static final RedisScript<String> CLAIM = LuaScripts.load("token-unused", String.class);

	private static final RedisScript<Long> RELEASE = LuaScripts.load("token-unused-release", Long.class);

	private static final RedisScript<Long> PRUNE = LuaScripts.load("token-owner-prune", Long.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	/**
	 * @param redis the Redis the tokens are in
	 * @param keys the key layout
	 */
	public RedisUnusedTokenSchedule(StringRedisTemplate redis, RedisKeys keys) {
		Assert.notNull(redis, "redis cannot be null");
		Assert.notNull(keys, "keys cannot be null");
		this.redis = redis;
		this.keys = keys;
	}

	@Override
	public List<String> owners() {
		Set<String> owners = this.redis.opsForSet().union(this.keys.tokenOwners(), this.keys.users());
		return (owners != null) ? owners.stream().sorted().toList() : List.of();
	}

	@Override
	@SuppressWarnings("unchecked")
	public List<IdleClock> clocks(List<String> owners, Instant now) {
		List<Object> indexes = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			owners.forEach((owner) -> connection.hashCommands().hGetAll(bytes(this.keys.tokensOf(owner))));
			return null;
		}, this.redis.getHashValueSerializer());
		List<String[]> live = new ArrayList<>();
		List<String> tokenless = new ArrayList<>();
		for (int i = 0; i < owners.size(); i++) {
			Map<Object, Object> index = (Map<Object, Object>) indexes.get(i);
			if (index.isEmpty()) {
				tokenless.add(owners.get(i).toLowerCase(Locale.ROOT));
			}
			for (Map.Entry<Object, Object> entry : index.entrySet()) {
				String indexEntry = String.valueOf(entry.getValue());
				if (TokenRecordCodec.endOf(indexEntry) > now.toEpochMilli()) {
					live.add(new String[] { owners.get(i), TokenRecordCodec.digestOf(indexEntry) });
				}
			}
		}
		if (!tokenless.isEmpty()) {
			List<String> keys = new ArrayList<>(List.of(this.keys.tokenOwners()));
			tokenless.forEach((owner) -> keys.add(this.keys.tokensOf(owner)));
			this.redis.execute(PRUNE, keys, tokenless.toArray());
		}
		if (live.isEmpty()) {
			return List.of();
		}
		byte[][] fields = TokenRecordCodec.IDLE_FIELDS.stream()
			.map(RedisUnusedTokenSchedule::bytes)
			.toArray(byte[][]::new);
		List<Object> records = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			live.forEach((token) -> connection.hashCommands().hMGet(bytes(this.keys.token(token[1])), fields));
			return null;
		}, this.redis.getHashValueSerializer());
		List<IdleClock> clocks = new ArrayList<>();
		for (int i = 0; i < live.size(); i++) {
			IdleClock clock = TokenRecordCodec.decodeIdleClock(live.get(i)[0], live.get(i)[1],
					(List<?>) records.get(i));
			if (clock != null) {
				clocks.add(clock);
			}
		}
		return clocks;
	}

	@Override
	public Optional<String> claim(IdleClock token, long stageMillis, Instant now, long holdForMillis) {
		String lastUsedAt = (token.lastUsedAt() != null) ? Long.toString(token.lastUsedAt().toEpochMilli()) : "";
		return Optional.ofNullable(this.redis.execute(CLAIM, List.of(this.keys.token(token.digest())), lastUsedAt,
				Long.toString(token.idleSince().toEpochMilli()), Long.toString(stageMillis),
				Long.toString(now.toEpochMilli()), Long.toString(holdForMillis)));
	}

	@Override
	public void release(String digest, String previous) {
		this.redis.execute(RELEASE, List.of(this.keys.token(digest)), previous);
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
