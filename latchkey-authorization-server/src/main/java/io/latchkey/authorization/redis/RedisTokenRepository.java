package io.latchkey.authorization.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.authorization.token.TokenRepository;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.StringUtils;

/**
 * Token records in Redis. A record is a hash under a key derived from the token's digest, so
 * introspection finds it from the token alone in one round trip. Each owner also has an index
 * (token id to digest) in the directory slot. Writes are ordered so that a crash between the
 * two keys leaves nothing usable: the index entry is written before the record on create, and
 * the record is deleted before the index entry on revoke; index entries without a record are
 * dropped when seen.
 */
public final class RedisTokenRepository implements TokenRepository {

	private static final RedisScript<Long> INDEX = LuaScripts.load("token-index", Long.class);

	private static final RedisScript<Long> CREATE = LuaScripts.load("token-create", Long.class);

	private static final RedisScript<Long> TOUCH = LuaScripts.load("token-touch", Long.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	public RedisTokenRepository(StringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * Stores a token record that Redis keeps for {@code retention} (its lifetime plus the time
	 * expired tokens stay listed), unless its owner already has {@code maxLive} tokens that have
	 * not expired at {@code now}. Returns once Redis acknowledged both writes; false if refused.
	 */
	@Override
	public boolean save(PersonalAccessToken token, Duration retention, int maxLive, Instant now) {
		Long indexed = this.redis.execute(INDEX, List.of(this.keys.tokensOf(token.owner())), token.id(),
				token.digest() + " " + token.expiresAt().toEpochMilli(), Long.toString(now.toEpochMilli()),
				Integer.toString(maxLive));
		if (indexed == null || indexed != 1L) {
			return false;
		}
		List<String> args = new ArrayList<>();
		args.add(Long.toString(Math.max(1, retention.toMillis())));
		args.addAll(List.of("id", token.id(), "hint", token.hint(), "owner", token.owner(), "ownerUid",
				token.ownerUid(), "description", nullToEmpty(token.description()), "scopes",
				Spaced.join(token.scopes()), "createdAt", token.createdAt().toString(), "createdBy",
				token.createdBy(), "expiresAt", token.expiresAt().toString()));
		this.redis.execute(CREATE, List.of(this.keys.token(token.digest())), args.toArray());
		return true;
	}

	@Override
	public Optional<PersonalAccessToken> findByDigest(String digest) {
		Map<Object, Object> hash = this.redis.opsForHash().entries(this.keys.token(digest));
		return Optional.ofNullable(toToken(digest, hash));
	}

	/** The owner's tokens, newest first. */
	@Override
	public List<PersonalAccessToken> findByOwner(String owner) {
		Map<String, String> index = this.redis.<String, String>opsForHash().entries(this.keys.tokensOf(owner));
		List<PersonalAccessToken> tokens = new ArrayList<>();
		index.forEach((id, entry) -> {
			Optional<PersonalAccessToken> token = findByDigest(digestOf(entry));
			if (token.isPresent()) {
				tokens.add(token.get());
			}
			else {
				this.redis.opsForHash().delete(this.keys.tokensOf(owner), id);
			}
		});
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

	/** Deletes a token record, then its index entry; true if the record existed. */
	@Override
	public boolean delete(String owner, String id, String digest) {
		boolean existed = Boolean.TRUE.equals(this.redis.delete(this.keys.token(digest)));
		this.redis.opsForHash().delete(this.keys.tokensOf(owner), id);
		return existed;
	}

	/** Deletes token records whose index is already gone (after a user was deleted). */
	@Override
	public void deleteRecords(List<String> digests) {
		for (String digest : digests) {
			this.redis.delete(this.keys.token(digest));
		}
	}

	@Override
	public void touch(String digest, Instant at, String from) {
		this.redis.execute(TOUCH, List.of(this.keys.token(digest)), at.toString(), nullToEmpty(from));
	}

	private static PersonalAccessToken toToken(String digest, Map<Object, Object> hash) {
		String id = (String) hash.get("id");
		String owner = (String) hash.get("owner");
		String expiresAt = (String) hash.get("expiresAt");
		if (id == null || owner == null || expiresAt == null) {
			return null;
		}
		return new PersonalAccessToken(id, digest, (String) hash.get("hint"), owner, (String) hash.get("ownerUid"),
				emptyToNull((String) hash.get("description")),
				Spaced.split((String) hash.get("scopes")),
				Instant.parse((String) hash.get("createdAt")), (String) hash.get("createdBy"),
				Instant.parse(expiresAt), instantOrNull((String) hash.get("lastUsedAt")),
				emptyToNull((String) hash.get("lastUsedFrom")));
	}

	private static Instant instantOrNull(String value) {
		return StringUtils.hasText(value) ? Instant.parse(value) : null;
	}

	private static String emptyToNull(String value) {
		return StringUtils.hasText(value) ? value : null;
	}

	private static String nullToEmpty(String value) {
		return (value != null) ? value : "";
	}

}
