package io.latchkey.authorization.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.latchkey.authorization.token.LastUse;
import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.authorization.token.RevokedToken;
import io.latchkey.authorization.token.TokenRepository;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisPipelineException;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Token records in Redis. A record is a hash under a key derived from the token's digest,
 * so introspection finds it from the token alone in one round trip; its fields, and the
 * entry of its owner's index (token id to digest and end, in the directory slot), are
 * laid out by {@link TokenRecordCodec}. Writes are ordered so that a crash between the
 * two keys leaves nothing usable and nothing unlisted: the index entry is written before
 * the record on create, and the record is deleted before the index entry on revoke. An
 * index entry without a record is dropped when seen once its token has expired (Redis
 * expired the record); before that, it is left alone, since its record may be on its way.
 *
 * @since 0.1
 */
public final class RedisTokenRepository implements TokenRepository {

	private static final RedisScript<Long> INDEX = LuaScripts.load("token-index", Long.class);

	private static final RedisScript<Long> UNINDEX = LuaScripts.load("token-unindex", Long.class);

	private static final RedisScript<Long> CREATE = LuaScripts.load("token-create", Long.class);

	private static final RedisScript<Long> ROTATE = LuaScripts.load("token-rotate", Long.class);

	private static final RedisScript<Long> RETIRE = LuaScripts.load("token-retire", Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> TOUCH = LuaScripts.load("token-touch", List.class);

	private static final RedisScript<Long> TOMBSTONE = LuaScripts.load("token-tombstone", Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> DELETE = LuaScripts.load("token-delete", List.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private Duration firstNoticeLead = Duration.ofDays(30);

	private ReplicaAcknowledgement replicas = ReplicaAcknowledgement.none();

	private Clock clock = Clock.systemUTC();

	public RedisTokenRepository(StringRedisTemplate redis, RedisKeys keys) {
		Assert.notNull(redis, "redis cannot be null");
		Assert.notNull(keys, "keys cannot be null");
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * The clock the token service computes expiries with (index entries are dropped by
	 * it).
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Creations, revocations and rotations are acknowledged only once these replicas have
	 * them.
	 */
	public void setReplicaAcknowledgement(ReplicaAcknowledgement replicas) {
		Assert.notNull(replicas, "replicas cannot be null");
		this.replicas = replicas;
	}

	/**
	 * How long before its expiry a new token's first expiry notice is due (the earliest
	 * stage).
	 */
	public void setFirstNoticeLead(Duration firstNoticeLead) {
		this.firstNoticeLead = firstNoticeLead;
	}

	/**
	 * Stores a token record that Redis keeps for {@code retention} (its lifetime plus the
	 * time expired tokens stay listed), unless its owner already has {@code maxLive}
	 * tokens that have not expired at {@code now}. Returns once Redis acknowledged both
	 * writes; false if refused.
	 */
	@Override
	public boolean save(PersonalAccessToken token, Duration retention, int maxLive, Instant now) {
		long firstNotice = token.expiresAt().minus(this.firstNoticeLead).toEpochMilli();
		long horizon = now.minus(retention.minus(Duration.between(now, token.expiresAt())))
			.minus(this.firstNoticeLead)
			.toEpochMilli();
		Long indexed = this.redis.execute(INDEX,
				List.of(this.keys.tokensOf(token.owner()), this.keys.expiries(), this.keys.tokenOwners()), token.id(),
				TokenRecordCodec.indexEntry(token.digest(), token.expiresAt()), Long.toString(now.toEpochMilli()),
				Integer.toString(maxLive), token.digest(), Long.toString(firstNotice), Long.toString(horizon),
				token.owner().toLowerCase(Locale.ROOT));
		if (indexed == null || indexed != 1L) {
			return false;
		}
		List<String> args = new ArrayList<>();
		args.add(Long.toString(Math.max(1, retention.toMillis())));
		TokenRecordCodec.encode(token).forEach((field, value) -> {
			args.add(field);
			args.add(value);
		});
		this.redis.execute(CREATE, List.of(this.keys.token(token.digest())), args.toArray());
		this.replicas.await(this.redis, this.keys.tokensOf(token.owner()), this.keys.token(token.digest()));
		return true;
	}

	@Override
	public Optional<PersonalAccessToken> findByDigest(String digest) {
		return Optional
			.ofNullable(TokenRecordCodec.decode(digest, this.redis.opsForHash().entries(this.keys.token(digest))));
	}

	/**
	 * The owner's tokens, newest first: the index, then every record in one pipelined
	 * round trip.
	 */
	@Override
	public List<PersonalAccessToken> findByOwner(String owner) {
		Map<String, String> index = this.redis.<String, String>opsForHash().entries(this.keys.tokensOf(owner));
		List<String> ids = new ArrayList<>(index.keySet());
		List<String> digests = ids.stream().map((id) -> TokenRecordCodec.digestOf(index.get(id))).toList();
		List<Map<Object, Object>> records = records(digests);
		List<PersonalAccessToken> tokens = new ArrayList<>();
		for (int i = 0; i < ids.size(); i++) {
			PersonalAccessToken token = TokenRecordCodec.decode(digests.get(i), records.get(i));
			if (token != null) {
				tokens.add(token);
			}
			else if (TokenRecordCodec.endOf(index.get(ids.get(i))) <= this.clock.millis()) {
				this.redis.opsForHash().delete(this.keys.tokensOf(owner), ids.get(i));
			}
		}
		tokens.sort(Comparator.comparing(PersonalAccessToken::createdAt).reversed());
		return tokens;
	}

	/** The records in one pipelined round trip. */
	@Override
	public List<PersonalAccessToken> findAll(List<String> digests) {
		List<Map<Object, Object>> records = records(digests);
		List<PersonalAccessToken> tokens = new ArrayList<>();
		for (int i = 0; i < digests.size(); i++) {
			PersonalAccessToken token = TokenRecordCodec.decode(digests.get(i), records.get(i));
			if (token != null) {
				tokens.add(token);
			}
		}
		return tokens;
	}

	/**
	 * The records of these digests, in order, in one pipelined round trip (empty for a
	 * missing one).
	 */
	@SuppressWarnings("unchecked")
	private List<Map<Object, Object>> records(List<String> digests) {
		List<Object> records = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			digests.forEach((digest) -> connection.hashCommands().hGetAll(bytes(this.keys.token(digest))));
			return null;
		}, this.redis.getHashValueSerializer());
		return records.stream().map((record) -> (Map<Object, Object>) record).toList();
	}

	@Override
	public Optional<String> findDigest(String owner, String id) {
		return Optional.ofNullable(this.redis.<String, String>opsForHash().get(this.keys.tokensOf(owner), id))
			.map(TokenRecordCodec::digestOf);
	}

	/**
	 * Deletes a token record (reading what it was rotated into in the same step), then
	 * its index entry and schedule.
	 */
	@Override
	public Deletion delete(String owner, String id, String digest) {
		List<?> deleted = this.redis.execute(DELETE, List.of(this.keys.token(digest)));
		this.redis.execute(UNINDEX, List.of(this.keys.tokensOf(owner), this.keys.expiries()), id, digest, "");
		this.replicas.await(this.redis, this.keys.token(digest), this.keys.tokensOf(owner));
		boolean existed = deleted != null && !deleted.isEmpty() && Long.valueOf(1).equals(deleted.get(0));
		String rotatedTo = (deleted != null && deleted.size() > 1) ? emptyToNull(String.valueOf(deleted.get(1))) : null;
		return new Deletion(existed, rotatedTo);
	}

	/**
	 * Keeps the listing in the owner's hash of revoked tokens, in the directory slot,
	 * dropping the listings whose time is up and the soonest to drop beyond
	 * {@link #KEEP_REVOKED}; the keys expire with their last listing.
	 */
	@Override
	public void saveRevoked(RevokedToken revoked, Instant dropAt, Instant now) {
		String owner = revoked.token().owner();
		this.redis.execute(TOMBSTONE, List.of(this.keys.revokedOf(owner), this.keys.revokedDropsOf(owner)),
				revoked.token().id(), TokenRecordCodec.encodeRevoked(revoked, dropAt),
				Long.toString(dropAt.toEpochMilli()), Long.toString(now.toEpochMilli()),
				Integer.toString(KEEP_REVOKED));
	}

	@Override
	public List<RevokedToken> findRevoked(String owner, Instant now) {
		return this.redis.<String, String>opsForHash()
			.values(this.keys.revokedOf(owner))
			.stream()
			.map((listing) -> TokenRecordCodec.decodeRevoked(listing, now))
			.filter(Objects::nonNull)
			.toList();
	}

	/** Deletes token records whose index is already gone (after a user was deleted). */
	@Override
	public void deleteRecords(List<String> digests) {
		for (String digest : digests) {
			this.redis.delete(this.keys.token(digest));
			this.redis.opsForZSet().remove(this.keys.expiries(), digest);
		}
	}

	/**
	 * Marks the record (the one write that decides), then moves its index entry's end.
	 */
	@Override
	public Rotation markRotated(PersonalAccessToken token, String successorId, Instant retiresAt, Instant now) {
		Long marked = this.redis.execute(ROTATE, List.of(this.keys.token(token.digest())), successorId,
				Long.toString(retiresAt.toEpochMilli()), Long.toString(now.toEpochMilli()));
		if (marked == null || marked == 0L) {
			return Rotation.GONE;
		}
		if (marked < 0) {
			return Rotation.ALREADY_ROTATED;
		}
		this.redis.execute(UNINDEX, List.of(this.keys.tokensOf(token.owner()), this.keys.expiries()), token.id(),
				token.digest(), Long.toString(retiresAt.toEpochMilli()));
		this.replicas.await(this.redis, this.keys.token(token.digest()), this.keys.tokensOf(token.owner()));
		return Rotation.ROTATED;
	}

	@Override
	public boolean retire(PersonalAccessToken token, Instant at) {
		Long moved = this.redis.execute(RETIRE, List.of(this.keys.token(token.digest())),
				Long.toString(at.toEpochMilli()));
		if (moved == null || moved != 1L) {
			return false;
		}
		this.redis.execute(UNINDEX, List.of(this.keys.tokensOf(token.owner()), this.keys.expiries()), token.id(),
				token.digest(), Long.toString(at.toEpochMilli()));
		this.replicas.await(this.redis, this.keys.token(token.digest()), this.keys.tokensOf(token.owner()));
		return true;
	}

	/**
	 * Every use in one pipelined round trip, each written only under the script's
	 * conditions, by the script's SHA; a Redis that does not have the script yet
	 * (restarted, failed over, a new Cluster node) gets the batch again with the script's
	 * text, which loads it there. The script answers, atomically with its write, the
	 * addresses recorded before a use whose address was not among them.
	 */
	@Override
	public Map<LastUse, List<String>> touchAll(List<LastUse> uses, Duration interval) {
		List<Object> answers;
		try {
			answers = touchAll(uses, interval, true);
		}
		catch (RedisPipelineException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			answers = touchAll(uses, interval, false);
		}
		Map<LastUse, List<String>> unseen = new LinkedHashMap<>();
		for (int i = 0; i < uses.size() && i < answers.size(); i++) {
			if (answers.get(i) instanceof List<?> answer && answer.size() > 1) {
				String before = (answer.get(1) instanceof byte[] raw) ? new String(raw, StandardCharsets.UTF_8)
						: String.valueOf(answer.get(1));
				unseen.put(uses.get(i), before.isEmpty() ? List.of() : List.of(before.split(" ")));
			}
		}
		return unseen;
	}

	private List<Object> touchAll(List<LastUse> uses, Duration interval, boolean bySha) {
		byte[] sha = bytes(TOUCH.getSha1());
		byte[] script = bytes(TOUCH.getScriptAsString());
		byte[] intervalMillis = bytes(Long.toString(interval.toMillis()));
		byte[] keep = bytes(Integer.toString(PersonalAccessToken.RECENT_USES));
		return this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			for (LastUse use : uses) {
				byte[][] keysAndArgs = { bytes(this.keys.token(use.digest())),
						bytes(Long.toString(use.at().toEpochMilli())), bytes(nullToEmpty(use.from())), intervalMillis,
						bytes(nullToEmpty(use.address())), keep };
				if (bySha) {
					connection.scriptingCommands().evalSha(sha, ReturnType.MULTI, 1, keysAndArgs);
				}
				else {
					connection.scriptingCommands().eval(script, ReturnType.MULTI, 1, keysAndArgs);
				}
			}
			return null;
		});
	}

	/**
	 * Whether a Redis node lacked the script. Any other failure in the batch comes back
	 * from the retry (the script writes only under its conditions, so a batch runs twice
	 * safely).
	 */
	private static boolean isNoScript(RedisPipelineException ex) {
		List<Object> failures = new ArrayList<>(ex.getPipelineResult());
		failures.add(ex);
		return failures.stream().anyMatch((result) -> result instanceof Throwable failure && mentionsNoScript(failure));
	}

	private static boolean mentionsNoScript(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (String.valueOf(cause.getMessage()).startsWith("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Every owner's index in one pipelined round trip; an entry's end is its expiry, or
	 * when it retired.
	 */
	@Override
	@SuppressWarnings("unchecked")
	public Map<String, Integer> expiringBetween(List<String> owners, Instant from, Instant until) {
		List<Object> indexes = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			owners.forEach((owner) -> connection.hashCommands().hVals(bytes(this.keys.tokensOf(owner))));
			return null;
		}, this.redis.getHashValueSerializer());
		Map<String, Integer> expiring = new LinkedHashMap<>();
		for (int i = 0; i < owners.size(); i++) {
			int count = 0;
			for (Object entry : (List<Object>) indexes.get(i)) {
				long end = TokenRecordCodec.endOf(String.valueOf(entry));
				if (end >= from.toEpochMilli() && end < until.toEpochMilli()) {
					count++;
				}
			}
			if (count > 0) {
				expiring.put(owners.get(i), count);
			}
		}
		return expiring;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static @Nullable String emptyToNull(String value) {
		return StringUtils.hasText(value) ? value : null;
	}

	private static String nullToEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

}
