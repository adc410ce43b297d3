package io.latchkey.authorization.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.latchkey.authorization.approval.TokenRequest;
import io.latchkey.authorization.approval.TokenRequestStore;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * Token requests in Redis, all under the hash tag {@code {approvals}} (see
 * {@link RedisKeys#tokenRequest}): one hash per request, kept for a bounded time, and
 * sorted sets of each user's requests (for their tokens, and those they asked for
 * somebody else), each owner's pending ones, and every pending one. Creating (with its
 * bound on pending requests), deciding and claiming are each one Lua script, so that a
 * request is decided once and claimed once across instances. An index entry whose request
 * expired is dropped when it is read.
 *
 * @since 0.1
 */
public final class RedisTokenRequestStore implements TokenRequestStore {

	private static final RedisScript<Long> CREATE = LuaScripts.load("approval-create", Long.class);

	private static final RedisScript<String> DECIDE = LuaScripts.load("approval-decide", String.class);

	private static final RedisScript<String> CLAIM = LuaScripts.load("approval-claim", String.class);

	private static final RedisScript<Long> UNCLAIM = LuaScripts.load("approval-unclaim", Long.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	/**
	 * @param redis the Redis requests are kept in
	 * @param keys the key layout
	 */
	public RedisTokenRequestStore(StringRedisTemplate redis, RedisKeys keys) {
		Assert.notNull(redis, "redis cannot be null");
		Assert.notNull(keys, "keys cannot be null");
		this.redis = redis;
		this.keys = keys;
	}

	@Override
	public boolean create(TokenRequest request, int maxPending, Duration keepFor) {
		List<String> args = new ArrayList<>(List.of(request.id(), Long.toString(request.requestedAt().toEpochMilli()),
				Integer.toString(maxPending), Long.toString(keepFor.toMillis())));
		encode(request).forEach((field, value) -> {
			args.add(field);
			args.add(value);
		});
		Long saved = this.redis.execute(CREATE,
				List.of(this.keys.tokenRequest(request.id()), this.keys.tokenRequestsOf(request.owner()),
						this.keys.pendingTokenRequestsOf(request.owner()), this.keys.pendingTokenRequests(),
						this.keys.tokenRequestsOf(request.requestedBy())),
				args.toArray());
		return saved != null && saved == 1L;
	}

	@Override
	public Optional<TokenRequest> find(String id) {
		Map<Object, Object> fields = this.redis.opsForHash().entries(this.keys.tokenRequest(id));
		return fields.isEmpty() ? Optional.empty() : Optional.of(decode(fields));
	}

	@Override
	public List<TokenRequest> of(String owner) {
		String index = this.keys.tokenRequestsOf(owner);
		Set<String> ids = this.redis.opsForZSet().reverseRange(index, 0, -1);
		return read(index, ids);
	}

	@Override
	public List<TokenRequest> pending(Instant now, Duration keepFor, int limit) {
		String index = this.keys.pendingTokenRequests();
		Set<String> ids = this.redis.opsForZSet()
			.rangeByScore(index, now.minus(keepFor).toEpochMilli(), Double.POSITIVE_INFINITY, 0, limit);
		return read(index, ids).stream().filter((r) -> TokenRequest.PENDING.equals(r.state())).toList();
	}

	@Override
	public Optional<String> decide(TokenRequest request, String state, String decidedBy, String reason, Instant at,
			Instant claimBy, Duration keepFor) {
		String before = this.redis.execute(DECIDE,
				List.of(this.keys.tokenRequest(request.id()), this.keys.pendingTokenRequestsOf(request.owner()),
						this.keys.pendingTokenRequests()),
				request.id(), state, decidedBy, reason, Long.toString(at.toEpochMilli()),
				Long.toString(claimBy.toEpochMilli()), Long.toString(keepFor.toMillis()));
		return (before == null || before.isEmpty()) ? Optional.empty() : Optional.of(before);
	}

	@Override
	public Optional<String> claim(String id, String requestedBy, Instant now) {
		String before = this.redis.execute(CLAIM, List.of(this.keys.tokenRequest(id)),
				requestedBy.toLowerCase(Locale.ROOT), Long.toString(now.toEpochMilli()));
		return (before == null || before.isEmpty()) ? Optional.empty() : Optional.of(before);
	}

	@Override
	public void claimed(String id, String tokenId) {
		this.redis.opsForHash().put(this.keys.tokenRequest(id), "tokenId", tokenId);
	}

	@Override
	public void unclaim(String id) {
		this.redis.execute(UNCLAIM, List.of(this.keys.tokenRequest(id)));
	}

	private List<TokenRequest> read(String index, @Nullable Set<String> ids) {
		List<TokenRequest> requests = new ArrayList<>();
		if (ids == null) {
			return requests;
		}
		for (String id : ids) {
			Optional<TokenRequest> request = find(id);
			if (request.isPresent()) {
				requests.add(request.get());
			}
			else {
				this.redis.opsForZSet().remove(index, id);
			}
		}
		return requests;
	}

	private static Map<String, String> encode(TokenRequest request) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("id", request.id());
		fields.put("owner", request.owner());
		fields.put("requestedBy", request.requestedBy());
		put(fields, "description", request.description());
		put(fields, "expiresAt", millis(request.expiresAt()));
		fields.put("scopes", String.join(" ", request.scopes()));
		fields.put("allowedIps", String.join(" ", request.allowedIps()));
		put(fields, "audience", (request.audience() != null) ? String.join(" ", request.audience()) : null);
		put(fields, "jkt", request.jkt());
		fields.put("rights", String.join(" ", request.rights()));
		fields.put("because", String.join("\n", request.because()));
		fields.put("state", request.state());
		fields.put("requestedAt", millis(request.requestedAt()));
		return fields;
	}

	private static TokenRequest decode(Map<Object, Object> fields) {
		String owner = text(fields, "owner");
		String requestedBy = optional(fields, "requestedBy");
		return new TokenRequest(text(fields, "id"), owner, (requestedBy != null) ? requestedBy : owner,
				optional(fields, "description"), instant(fields, "expiresAt"), Set.copyOf(words(fields, "scopes")),
				words(fields, "allowedIps"), (fields.get("audience") != null) ? words(fields, "audience") : null,
				optional(fields, "jkt"), Set.copyOf(words(fields, "rights")), lines(fields, "because"),
				text(fields, "state"), Instant.ofEpochMilli(Long.parseLong(text(fields, "requestedAt"))),
				optional(fields, "decidedBy"), instant(fields, "decidedAt"), optional(fields, "reason"),
				instant(fields, "claimBy"), instant(fields, "claimedAt"), optional(fields, "tokenId"));
	}

	private static void put(Map<String, String> fields, String name, @Nullable String value) {
		if (value != null) {
			fields.put(name, value);
		}
	}

	private static @Nullable String millis(@Nullable Instant instant) {
		return (instant != null) ? Long.toString(instant.toEpochMilli()) : null;
	}

	private static String text(Map<Object, Object> fields, String name) {
		Object value = fields.get(name);
		return (value != null) ? value.toString() : "";
	}

	private static @Nullable String optional(Map<Object, Object> fields, String name) {
		String value = text(fields, name);
		return value.isEmpty() ? null : value;
	}

	private static @Nullable Instant instant(Map<Object, Object> fields, String name) {
		String value = optional(fields, name);
		return (value != null) ? Instant.ofEpochMilli(Long.parseLong(value)) : null;
	}

	private static List<String> words(Map<Object, Object> fields, String name) {
		String value = text(fields, name);
		return value.isBlank() ? List.of() : Arrays.asList(value.trim().split(" +"));
	}

	private static List<String> lines(Map<Object, Object> fields, String name) {
		String value = text(fields, name);
		return value.isEmpty() ? List.of() : Arrays.asList(value.split("\n"));
	}

}
