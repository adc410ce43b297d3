package io.latchkey.authorization.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.latchkey.authorization.token.LastUseRecorder;
import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.authorization.token.TokenRepository;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Token records in Redis. A record is a hash under a key derived from the token's digest, so
 * introspection finds it from the token alone in one round trip; times are epoch milliseconds and
 * empty fields are left out, so that a record stays under 300 bytes of Redis memory. Each owner
 * also has an index (token id to "digest expiry") in the directory slot. Writes are ordered so
 * that a crash between the two keys leaves nothing usable and nothing unlisted: the index entry
 * is written before the record on create, and the record is deleted before the index entry on
 * revoke. An index entry without a record is dropped when seen once its token has expired (Redis
 * expired the record); before that, it is left alone, since its record may be on its way.
 */
public final class RedisTokenRepository implements TokenRepository {

	private static final RedisScript<Long> INDEX = LuaScripts.load("token-index", Long.class);

	private static final RedisScript<Long> UNINDEX = LuaScripts.load("token-unindex", Long.class);

	private static final RedisScript<Long> CREATE = LuaScripts.load("token-create", Long.class);

	private static final RedisScript<Long> ROTATE = LuaScripts.load("token-rotate", Long.class);

	private static final RedisScript<Long> RETIRE = LuaScripts.load("token-retire", Long.class);

	private static final RedisScript<Long> TOUCH = LuaScripts.load("token-touch", Long.class);

	private static final RedisScript<String> NOTICE = LuaScripts.load("token-notice", String.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> DELETE = LuaScripts.load("token-delete", List.class);

	/** How an empty ceiling (the maker held none of the requested rights) is stored, apart from none at all. */
	private static final String EMPTY_CEILING = "-";

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

	/** The clock the token service computes expiries with (index entries are dropped by it). */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/** Creations, revocations and rotations are acknowledged only once these replicas have them. */
	public void setReplicaAcknowledgement(ReplicaAcknowledgement replicas) {
		Assert.notNull(replicas, "replicas cannot be null");
		this.replicas = replicas;
	}

	/** How long before its expiry a new token's first expiry notice is due (the earliest stage). */
	public void setFirstNoticeLead(Duration firstNoticeLead) {
		this.firstNoticeLead = firstNoticeLead;
	}

	/**
	 * Stores a token record that Redis keeps for {@code retention} (its lifetime plus the time
	 * expired tokens stay listed), unless its owner already has {@code maxLive} tokens that have
	 * not expired at {@code now}. Returns once Redis acknowledged both writes; false if refused.
	 */
	@Override
	public boolean save(PersonalAccessToken token, Duration retention, int maxLive, Instant now) {
		long expiry = token.expiresAt().toEpochMilli();
		long firstNotice = token.expiresAt().minus(this.firstNoticeLead).toEpochMilli();
		long horizon = now.minus(retention.minus(Duration.between(now, token.expiresAt())))
			.minus(this.firstNoticeLead)
			.toEpochMilli();
		Long indexed = this.redis.execute(INDEX, List.of(this.keys.tokensOf(token.owner()), this.keys.expiries()),
				token.id(), token.digest() + " " + expiry, Long.toString(now.toEpochMilli()), Integer.toString(maxLive),
				token.digest(), Long.toString(firstNotice), Long.toString(horizon));
		if (indexed == null || indexed != 1L) {
			return false;
		}
		List<String> args = new ArrayList<>();
		args.add(Long.toString(Math.max(1, retention.toMillis())));
		args.addAll(List.of("id", token.id(), "hint", token.hint(), "owner", token.owner(), "ownerUid",
				token.ownerUid(), "createdAt", Long.toString(token.createdAt().toEpochMilli()), "createdBy",
				token.createdBy(), "expiresAt", Long.toString(token.expiresAt().toEpochMilli())));
		if (token.description() != null) {
			args.addAll(List.of("description", token.description()));
		}
		if (!token.scopes().isEmpty()) {
			args.addAll(List.of("scopes", Spaced.join(token.scopes())));
		}
		if (!token.family().equals(token.id())) {
			args.addAll(List.of("family", token.family()));
		}
		if (!token.allowedIps().isEmpty()) {
			args.addAll(List.of("allowedIps", String.join(" ", token.allowedIps())));
		}
		if (token.ceiling() != null) {
			args.addAll(List.of("ceiling", token.ceiling().isEmpty() ? EMPTY_CEILING : Spaced.join(token.ceiling())));
		}
		this.redis.execute(CREATE, List.of(this.keys.token(token.digest())), args.toArray());
		this.replicas.await(this.redis, this.keys.tokensOf(token.owner()), this.keys.token(token.digest()));
		return true;
	}

	@Override
	public Optional<PersonalAccessToken> findByDigest(String digest) {
		Map<Object, Object> hash = this.redis.opsForHash().entries(this.keys.token(digest));
		return Optional.ofNullable(toToken(digest, hash));
	}

	/** The owner's tokens, newest first: the index, then every record in one pipelined round trip. */
	@Override
	@SuppressWarnings("unchecked")
	public List<PersonalAccessToken> findByOwner(String owner) {
		Map<String, String> index = this.redis.<String, String>opsForHash().entries(this.keys.tokensOf(owner));
		List<String> ids = new ArrayList<>(index.keySet());
		List<Object> records = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			for (String id : ids) {
				connection.hashCommands()
					.hGetAll(this.keys.token(digestOf(index.get(id))).getBytes(StandardCharsets.UTF_8));
			}
			return null;
		}, this.redis.getHashValueSerializer());
		List<PersonalAccessToken> tokens = new ArrayList<>();
		for (int i = 0; i < ids.size(); i++) {
			PersonalAccessToken token = toToken(digestOf(index.get(ids.get(i))), (Map<Object, Object>) records.get(i));
			if (token != null) {
				tokens.add(token);
			}
			else if (expiryOf(index.get(ids.get(i))) <= this.clock.millis()) {
				this.redis.opsForHash().delete(this.keys.tokensOf(owner), ids.get(i));
			}
		}
		tokens.sort(Comparator.comparing(PersonalAccessToken::createdAt).reversed());
		return tokens;
	}

	@Override
	public Optional<String> findDigest(String owner, String id) {
		return Optional.ofNullable(this.redis.<String, String>opsForHash().get(this.keys.tokensOf(owner), id))
			.map(RedisTokenRepository::digestOf);
	}

	private static String digestOf(String indexEntry) {
		return indexEntry.split(" ", 2)[0];
	}

	private static long expiryOf(String indexEntry) {
		String[] parts = indexEntry.split(" ", 2);
		return (parts.length == 2) ? Long.parseLong(parts[1]) : 0L;
	}

	/**
	 * Deletes a token record (reading what it was rotated into in the same step), then its index
	 * entry and schedule.
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

	/** Deletes token records whose index is already gone (after a user was deleted). */
	@Override
	public void deleteRecords(List<String> digests) {
		for (String digest : digests) {
			this.redis.delete(this.keys.token(digest));
			unschedule(digest);
		}
	}

	/** Marks the record (the one write that decides), then moves its index entry's end. */
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

	/** Every use in one pipelined round trip, each written only under the script's conditions. */
	@Override
	public void touchAll(List<LastUseRecorder.LastUse> uses, Duration interval) {
		byte[] script = TOUCH.getScriptAsString().getBytes(StandardCharsets.UTF_8);
		byte[] intervalMillis = bytes(Long.toString(interval.toMillis()));
		byte[] keep = bytes(Integer.toString(PersonalAccessToken.RECENT_USES));
		this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			uses.forEach((use) -> connection.scriptingCommands()
				.eval(script, ReturnType.INTEGER, 1, bytes(this.keys.token(use.digest())),
						bytes(Long.toString(use.at().toEpochMilli())), bytes(nullToEmpty(use.from())), intervalMillis,
						bytes(nullToEmpty(use.address())), keep));
			return null;
		});
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

	/** Every owner's index in one pipelined round trip; an entry's end is its expiry, or when it retired. */
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
				long end = Long.parseLong(String.valueOf(entry).split(" ", 2)[1]);
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

	@Override
	public void unschedule(String digest) {
		this.redis.opsForZSet().remove(this.keys.expiries(), digest);
	}

	@Override
	public Optional<String> claimNotice(String digest, int stage) {
		return Optional.ofNullable(
				this.redis.execute(NOTICE, List.of(this.keys.token(digest)), Integer.toString(stage)));
	}

	@Override
	public void releaseNotice(String digest, String previous) {
		if (previous.isEmpty()) {
			this.redis.opsForHash().delete(this.keys.token(digest), "notice");
		}
		else {
			this.redis.opsForHash().put(this.keys.token(digest), "notice", previous);
		}
	}

	/** The records in one pipelined round trip. */
	@Override
	@SuppressWarnings("unchecked")
	public List<PersonalAccessToken> findAll(List<String> digests) {
		List<Object> records = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			digests.forEach((digest) -> connection.hashCommands().hGetAll(bytes(this.keys.token(digest))));
			return null;
		}, this.redis.getHashValueSerializer());
		List<PersonalAccessToken> tokens = new ArrayList<>();
		for (int i = 0; i < digests.size(); i++) {
			PersonalAccessToken token = toToken(digests.get(i), (Map<Object, Object>) records.get(i));
			if (token != null) {
				tokens.add(token);
			}
		}
		return tokens;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static @Nullable PersonalAccessToken toToken(String digest, @Nullable Map<Object, Object> hash) {
		if (hash == null) {
			return null;
		}
		String id = (String) hash.get("id");
		String owner = (String) hash.get("owner");
		String expiresAt = (String) hash.get("expiresAt");
		if (id == null || owner == null || expiresAt == null) {
			return null;
		}
		String family = emptyToNull((String) hash.get("family"));
		return new PersonalAccessToken(id, digest, (String) hash.get("hint"), owner, (String) hash.get("ownerUid"),
				emptyToNull((String) hash.get("description")), Spaced.split((String) hash.get("scopes")),
				instant((String) hash.get("createdAt")), (String) hash.get("createdBy"), instant(expiresAt),
				instantOrNull((String) hash.get("lastUsedAt")), emptyToNull((String) hash.get("lastUsedFrom")),
				(family != null) ? family : id, words((String) hash.get("allowedIps")),
				emptyToNull((String) hash.get("rotatedTo")), instantOrNull((String) hash.get("retiresAt")),
				uses((String) hash.get("uses")), ceiling((String) hash.get("ceiling")));
	}

	private static @Nullable Set<String> ceiling(@Nullable String value) {
		if (value == null) {
			return null;
		}
		return EMPTY_CEILING.equals(value) ? Set.of() : Spaced.split(value);
	}

	private static List<String> words(@Nullable String value) {
		return StringUtils.hasText(value) ? List.of(value.split(" ")) : List.of();
	}

	/** "address millis address millis …", newest first; anything else in it is skipped. */
	private static List<PersonalAccessToken.Use> uses(@Nullable String value) {
		List<String> words = words(value);
		List<PersonalAccessToken.Use> uses = new ArrayList<>();
		for (int i = 0; i + 1 < words.size(); i += 2) {
			String at = words.get(i + 1);
			if (at.matches("\\d{1,19}")) {
				uses.add(new PersonalAccessToken.Use(words.get(i), Instant.ofEpochMilli(Long.parseLong(at))));
			}
		}
		return uses;
	}

	/**
	 * Times are epoch milliseconds (compact in Redis's small-hash encoding); records written by
	 * Latchkey 0.1 before that hold ISO-8601 strings, still read.
	 */
	private static Instant instant(String value) {
		return (value.indexOf('T') > 0) ? Instant.parse(value) : Instant.ofEpochMilli(Long.parseLong(value));
	}

	private static @Nullable Instant instantOrNull(@Nullable String value) {
		return StringUtils.hasText(value) ? instant(value) : null;
	}

	private static String emptyToNull(String value) {
		return StringUtils.hasText(value) ? value : null;
	}

	private static String nullToEmpty(String value) {
		return (value != null) ? value : "";
	}

}
