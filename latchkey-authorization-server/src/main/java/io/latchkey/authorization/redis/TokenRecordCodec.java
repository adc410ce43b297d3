package io.latchkey.authorization.redis;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.latchkey.authorization.notice.IdleClock;
import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.authorization.token.RevocationReason;
import io.latchkey.authorization.token.RevokedToken;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * The one owner of how a token is laid out in Redis: the fields of its record (a hash
 * under {@link RedisKeys#token}) and the entry of its owner's index
 * ({@link RedisKeys#tokensOf}). Times are epoch milliseconds and empty fields are left
 * out, so that a record stays under 300 bytes of Redis memory. The Lua scripts name the
 * fields they change ({@code rotatedTo}, {@code retiresAt}, {@code lastUsedAt},
 * {@code lastUsedFrom}, {@code uses}, {@code notice}, and {@code unused}: the step of an
 * unused token's way out claimed last, "round stage claimedAt" in milliseconds); a test
 * holds them to the names here.
 *
 * @since 0.1
 */
public final class TokenRecordCodec {

	/** The fields of a record. */
	public static final Set<String> FIELDS = Set.of("id", "hint", "owner", "ownerUid", "createdAt", "createdBy",
			"expiresAt", "description", "scopes", "family", "allowedIps", "ceiling", "lastUsedAt", "lastUsedFrom",
			"rotatedTo", "retiresAt", "uses", "notice", "unused", "audience", "jkt");

	/** The field that holds the expiry-notice stage claimed last. */
	static final String NOTICE = "notice";

	/**
	 * The fields the pass over idle tokens reads, in the order {@link #decodeIdleClock}
	 * takes them.
	 */
	static final List<String> IDLE_FIELDS = List.of("id", "createdAt", "lastUsedAt", "expiresAt", "rotatedTo",
			"unused");

	/**
	 * How an empty ceiling (the maker held none of the requested rights) is stored, apart
	 * from none at all.
	 */
	private static final String EMPTY_CEILING = "-";

	private TokenRecordCodec() {
	}

	/**
	 * The fields of a new token's record, in the order they are written, empty ones left
	 * out.
	 * @param token a token not yet used nor rotated
	 * @return field names to values
	 */
	public static Map<String, String> encode(PersonalAccessToken token) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("id", token.id());
		fields.put("hint", token.hint());
		fields.put("owner", token.owner());
		fields.put("ownerUid", token.ownerUid());
		fields.put("createdAt", Long.toString(token.createdAt().toEpochMilli()));
		fields.put("createdBy", token.createdBy());
		fields.put("expiresAt", Long.toString(token.expiresAt().toEpochMilli()));
		if (token.description() != null) {
			fields.put("description", token.description());
		}
		if (!token.scopes().isEmpty()) {
			fields.put("scopes", Spaced.join(token.scopes()));
		}
		if (!token.family().equals(token.id())) {
			fields.put("family", token.family());
		}
		if (!token.allowedIps().isEmpty()) {
			fields.put("allowedIps", String.join(" ", token.allowedIps()));
		}
		if (token.ceiling() != null) {
			fields.put("ceiling", token.ceiling().isEmpty() ? EMPTY_CEILING : Spaced.join(token.ceiling()));
		}
		if (token.audience() != null) {
			fields.put("audience", Spaced.join(token.audience()));
		}
		if (token.jkt() != null) {
			fields.put("jkt", token.jkt());
		}
		return fields;
	}

	/**
	 * The token a record holds.
	 * @param digest the token's digest, its key's
	 * @param hash the record's fields, as Redis answered them
	 * @return the token, or {@code null} if there is no record (or not a whole one)
	 */
	public static @Nullable PersonalAccessToken decode(String digest, @Nullable Map<?, ?> hash) {
		if (hash == null) {
			return null;
		}
		String id = field(hash, "id");
		String owner = field(hash, "owner");
		String expiresAt = field(hash, "expiresAt");
		String createdAt = field(hash, "createdAt");
		if (id == null || owner == null || expiresAt == null || createdAt == null) {
			return null;
		}
		String family = field(hash, "family");
		return new PersonalAccessToken(id, digest, String.valueOf(field(hash, "hint")), owner,
				String.valueOf(field(hash, "ownerUid")), field(hash, "description"),
				Spaced.split(field(hash, "scopes")), instant(createdAt), String.valueOf(field(hash, "createdBy")),
				instant(expiresAt), instantOrNull(field(hash, "lastUsedAt")), field(hash, "lastUsedFrom"),
				(family != null) ? family : id, words(field(hash, "allowedIps")), field(hash, "rotatedTo"),
				instantOrNull(field(hash, "retiresAt")), uses(field(hash, "uses")), ceiling(hash.get("ceiling")),
				audience(hash.get("audience")), field(hash, "jkt"));
	}

	/**
	 * What the pass over idle tokens needs of a record.
	 * @param owner the owner, whose index named the token
	 * @param digest the token's digest
	 * @param values the values of {@link #IDLE_FIELDS}, as Redis answered them
	 * @return the token's clock, or {@code null} if there is no record (or not a whole
	 * one)
	 */
	static @Nullable IdleClock decodeIdleClock(String owner, String digest, List<?> values) {
		if (values.size() != IDLE_FIELDS.size() || values.get(0) == null || values.get(1) == null
				|| values.get(3) == null) {
			return null;
		}
		Object lastUsedAt = values.get(2);
		Object rotatedTo = values.get(4);
		Instant createdAt = instant(values.get(1).toString());
		Instant usedAt = (lastUsedAt != null) ? instant(lastUsedAt.toString()) : null;
		return new IdleClock(owner, values.get(0).toString(), digest, createdAt, usedAt,
				instant(values.get(3).toString()), rotatedTo != null && StringUtils.hasText(rotatedTo.toString()),
				decodeUnusedStep(values.get(5), (usedAt != null) ? usedAt : createdAt));
	}

	/**
	 * The step of an idle token's way out claimed in its {@code unused} field ("round
	 * stage at", epoch millis, as token-unused.lua writes it), if claimed in the round
	 * that began at {@code idleSince}; a claim of an earlier round is none.
	 */
	private static IdleClock.@Nullable Step decodeUnusedStep(@Nullable Object unused, Instant idleSince) {
		if (unused == null) {
			return null;
		}
		String[] parts = unused.toString().split(" ");
		if (parts.length != 3 || !parts[0].equals(Long.toString(idleSince.toEpochMilli()))) {
			return null;
		}
		return new IdleClock.Step(Duration.ofMillis(Long.parseLong(parts[1])), instant(parts[2]));
	}

	/**
	 * The listing of a revoked token, one string: its record's fields as when it was
	 * made, its last use, and its revocation, form-encoded; never its digest.
	 * @param revoked the revoked token
	 * @param dropAt when it leaves the list
	 * @return the listing
	 */
	public static String encodeRevoked(RevokedToken revoked, Instant dropAt) {
		PersonalAccessToken token = revoked.token();
		Map<String, String> fields = encode(token);
		if (token.lastUsedAt() != null) {
			fields.put("lastUsedAt", Long.toString(token.lastUsedAt().toEpochMilli()));
		}
		if (token.lastUsedFrom() != null) {
			fields.put("lastUsedFrom", token.lastUsedFrom());
		}
		fields.put("revokedAt", Long.toString(revoked.revokedAt().toEpochMilli()));
		fields.put("revokedBy", revoked.revokedBy());
		fields.put("reason", revoked.reason().value());
		fields.put("dropAt", Long.toString(dropAt.toEpochMilli()));
		StringBuilder encoded = new StringBuilder();
		fields.forEach((name, value) -> encoded.append((encoded.length() > 0) ? "&" : "")
			.append(name)
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
		return encoded.toString();
	}

	/**
	 * The revoked token a listing holds, unless it dropped from the list at {@code now}.
	 * @param listing a listing made by {@link #encodeRevoked}
	 * @param now the time
	 * @return the revoked token (its digest empty), or {@code null} if it dropped or is
	 * not a whole listing
	 */
	public static @Nullable RevokedToken decodeRevoked(String listing, Instant now) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (String pair : listing.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				fields.put(pair.substring(0, equals),
						URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
			}
		}
		String revokedAt = fields.get("revokedAt");
		String dropAt = fields.get("dropAt");
		PersonalAccessToken token = decode("", fields);
		if (token == null || revokedAt == null || dropAt == null || !now.isBefore(instant(dropAt))) {
			return null;
		}
		return new RevokedToken(token, instant(revokedAt), String.valueOf(fields.get("revokedBy")),
				RevocationReason.of(fields.get("reason")));
	}

	/**
	 * An owner's index entry for a token: its digest and when it stops working.
	 * @param digest the token's digest
	 * @param end its expiry, or when it retired after a rotation
	 * @return the entry
	 */
	public static String indexEntry(String digest, Instant end) {
		return digest + " " + end.toEpochMilli();
	}

	/**
	 * The digest an index entry names.
	 * @param indexEntry an owner's index entry
	 * @return the digest
	 */
	public static String digestOf(String indexEntry) {
		int space = indexEntry.indexOf(' ');
		return (space >= 0) ? indexEntry.substring(0, space) : indexEntry;
	}

	/**
	 * When the token of an index entry stops working, in epoch milliseconds (0 if the
	 * entry does not say).
	 * @param indexEntry an owner's index entry
	 * @return the end
	 */
	public static long endOf(String indexEntry) {
		int space = indexEntry.indexOf(' ');
		return (space >= 0) ? Long.parseLong(indexEntry.substring(space + 1)) : 0L;
	}

	private static @Nullable String field(Map<?, ?> hash, String name) {
		Object value = hash.get(name);
		return (value != null && StringUtils.hasText(value.toString())) ? value.toString() : null;
	}

	/**
	 * Absent: no ceiling; anything else, even blank, is one (a damaged ceiling never
	 * means all rights).
	 */
	private static @Nullable Set<String> ceiling(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		return EMPTY_CEILING.equals(value.toString()) ? Set.of() : Spaced.split(value.toString());
	}

	/**
	 * Absent: any service (a token made before audiences); anything else, even blank,
	 * names the only services it is meant for (a damaged audience never means all).
	 */
	private static @Nullable Set<String> audience(@Nullable Object value) {
		return (value != null) ? Spaced.split(value.toString()) : null;
	}

	private static List<String> words(@Nullable String value) {
		return StringUtils.hasText(value) ? List.of(value.split(" ")) : List.of();
	}

	/**
	 * "address millis address millis …", newest first; anything else in it is skipped.
	 */
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
	 * Times are epoch milliseconds (compact in Redis's small-hash encoding); records
	 * written by Latchkey 0.1 before that hold ISO-8601 strings, still read.
	 */
	private static Instant instant(String value) {
		return (value.indexOf('T') > 0) ? Instant.parse(value) : Instant.ofEpochMilli(Long.parseLong(value));
	}

	private static @Nullable Instant instantOrNull(@Nullable String value) {
		return (value != null) ? instant(value) : null;
	}

}
