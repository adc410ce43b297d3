package io.latchkey.core.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The OpenID Shared Signals form of {@link LatchkeyEvent}: which Security Event Token
 * (RFC 8417) each event becomes, and what a receiver drops when it reads one. Both sides
 * use this definition: the auth server's transmitter to write the subject and the event,
 * a receiver to read a SET whose signature, {@code iss}, {@code aud} and freshness it has
 * verified.
 * <ul>
 * <li>{@code token.revoked}, {@code token.rotated}: CAEP {@code credential-change}
 * ({@code change_type} {@code revoke} or {@code update}) about the token, named by its
 * digest as caches key it: {@code {"format":"opaque","id":"<hex SHA-256>"}}.</li>
 * <li>{@code user.tokens_revoked}: CAEP {@code credential-change} ({@code revoke}) about
 * the user, {@code {"format":"iss_sub","iss":"<issuer>","sub":"<username in lower
 * case>"}}.</li>
 * <li>{@code user.disabled}, {@code user.deleted}: CAEP {@code session-revoked} about the
 * user.</li>
 * <li>{@code user.changed}, {@code group.changed}, {@code group.deleted}: CAEP
 * {@code token-claims-change} about each user whose rights changed, one SET each, with
 * {@code claims: {}} (the new rights differ per token: ask introspection again).</li>
 * </ul>
 * Every event carries {@code event_timestamp}. A receiver drops what a SET names; an SSF
 * {@code verification} drops nothing; an SSF {@code stream-updated} (events may have been
 * lost), or anything it cannot read, drops everything.
 *
 * @since 0.1
 */
public final class SecurityEventCodec {

	/** The {@code typ} header, and the media type, of a Security Event Token. */
	public static final String TYP = "secevent+jwt";

	/** CAEP: a credential was created, changed, revoked or deleted. */
	public static final String CREDENTIAL_CHANGE = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

	/** CAEP: a subject's sessions were revoked. */
	public static final String SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";

	/** CAEP: the claims of a subject's tokens changed. */
	public static final String TOKEN_CLAIMS_CHANGE = "https://schemas.openid.net/secevent/caep/event-type/token-claims-change";

	/** SSF: the answer to a verification request. */
	public static final String VERIFICATION = "https://schemas.openid.net/secevent/ssf/event-type/verification";

	/** SSF: the stream's status changed, or it lost events. */
	public static final String STREAM_UPDATED = "https://schemas.openid.net/secevent/ssf/event-type/stream-updated";

	/** The event types a stream may ask for. */
	public static final List<String> SUPPORTED = List.of(CREDENTIAL_CHANGE, SESSION_REVOKED, TOKEN_CLAIMS_CHANGE);

	/**
	 * The CAEP {@code credential_type} of a personal access token (no registered value
	 * fits).
	 */
	public static final String PERSONAL_ACCESS_TOKEN = "personal-access-token";

	private static final Map<EventType, String> TYPES = Map.of(EventType.TOKEN_REVOKED, CREDENTIAL_CHANGE,
			EventType.TOKEN_ROTATED, CREDENTIAL_CHANGE, EventType.USER_TOKENS_REVOKED, CREDENTIAL_CHANGE,
			EventType.USER_DISABLED, SESSION_REVOKED, EventType.USER_DELETED, SESSION_REVOKED, EventType.USER_CHANGED,
			TOKEN_CLAIMS_CHANGE, EventType.GROUP_CHANGED, TOKEN_CLAIMS_CHANGE, EventType.GROUP_DELETED,
			TOKEN_CLAIMS_CHANGE);

	/** The SET event type a Latchkey event becomes. */
	public static String typeOf(EventType type) {
		return TYPES.get(type);
	}

	/**
	 * The subject identifier of a token: its SHA-256 digest, as caches key it (format
	 * {@code opaque}).
	 */
	public static Map<String, Object> tokenSubject(String digest) {
		return Map.of("format", "opaque", "id", digest);
	}

	/**
	 * The subject identifier of a user: the issuer and the username in lower case (format
	 * {@code iss_sub}); usernames are unique regardless of case.
	 */
	public static Map<String, Object> userSubject(String issuer, String username) {
		return Map.of("format", "iss_sub", "iss", issuer, "sub", username.toLowerCase(Locale.ROOT));
	}

	/**
	 * The SETs' contents an event becomes: one per subject (a token, or each user it
	 * names); none for a token event without a digest.
	 * @param event what changed
	 * @param issuer the transmitter's issuer, for users' subjects
	 */
	public List<SecurityEvent> encode(LatchkeyEvent event, String issuer) {
		String type = typeOf(event.type());
		Map<String, Object> members = members(event);
		List<SecurityEvent> events = new ArrayList<>();
		if (event.type().reach() == EventType.Reach.TOKEN) {
			if (event.tokenDigest() != null) {
				events.add(new SecurityEvent(tokenSubject(event.tokenDigest()), type, members));
			}
		}
		else {
			event.usernames()
				.forEach((username) -> events.add(new SecurityEvent(userSubject(issuer, username), type, members)));
		}
		return events;
	}

	/**
	 * What a receiver drops for a SET.
	 * @param claims the claims of a SET whose signature, issuer, audience and freshness
	 * were verified
	 * @return what it makes stale
	 */
	public Reading decode(Map<String, Object> claims) {
		if (!(claims.get("events") instanceof Map<?, ?> events) || events.size() != 1) {
			return Reading.EVERYTHING;
		}
		Map.Entry<?, ?> only = events.entrySet().iterator().next();
		String type = String.valueOf(only.getKey());
		Map<?, ?> members = (only.getValue() instanceof Map<?, ?> map) ? map : Map.of();
		if (VERIFICATION.equals(type)) {
			return Reading.NOTHING;
		}
		Object subjectClaim = (claims.get("sub_id") != null) ? claims.get("sub_id") : members.get("subject");
		Map<?, ?> subject = (subjectClaim instanceof Map<?, ?> map) ? map : Map.of();
		String format = text(subject, "format");
		Instant at = (members.get("event_timestamp") instanceof Number seconds)
				? Instant.ofEpochSecond(seconds.longValue()) : Instant.EPOCH;
		String id = text(subject, "id");
		String sub = text(subject, "sub");
		if (CREDENTIAL_CHANGE.equals(type) && "opaque".equals(format) && id != null) {
			EventType change = "update".equals(text(members, "change_type")) ? EventType.TOKEN_ROTATED
					: EventType.TOKEN_REVOKED;
			return Reading.drop(new LatchkeyEvent(change, null, null, id, null, List.of(), at));
		}
		if ("iss_sub".equals(format) && sub != null) {
			EventType change = switch (type) {
				case CREDENTIAL_CHANGE -> EventType.USER_TOKENS_REVOKED;
				case SESSION_REVOKED -> EventType.USER_DISABLED;
				case TOKEN_CLAIMS_CHANGE -> EventType.USER_CHANGED;
				default -> null;
			};
			if (change != null) {
				return Reading.drop(LatchkeyEvent.user(change, sub, at));
			}
		}
		return Reading.EVERYTHING;
	}

	private static Map<String, Object> members(LatchkeyEvent event) {
		Map<String, Object> members = new LinkedHashMap<>();
		switch (event.type()) {
			case TOKEN_REVOKED, USER_TOKENS_REVOKED -> {
				members.put("credential_type", PERSONAL_ACCESS_TOKEN);
				members.put("change_type", "revoke");
			}
			case TOKEN_ROTATED -> {
				members.put("credential_type", PERSONAL_ACCESS_TOKEN);
				members.put("change_type", "update");
			}
			case USER_CHANGED, GROUP_CHANGED, GROUP_DELETED -> members.put("claims", Map.of());
			case USER_DISABLED, USER_DELETED -> {
			}
		}
		members.put("event_timestamp", event.at().getEpochSecond());
		return members;
	}

	private static @Nullable String text(Map<?, ?> map, String field) {
		return (map.get(field) instanceof String value) ? value : null;
	}

	/**
	 * One SET's content: its {@code sub_id}, its event type and the event's members.
	 *
	 * @param subject the RFC 9493 subject identifier
	 * @param type the event type
	 * @param members the event's members
	 */
	public record SecurityEvent(Map<String, Object> subject, String type, Map<String, Object> members) {

		public SecurityEvent {
			subject = Map.copyOf(subject);
			members = Map.copyOf(members);
		}

	}

	/**
	 * What a SET makes stale in a receiver's cache.
	 *
	 * @param scope how much
	 * @param event the event to apply, for {@link Scope#DROP}
	 */
	public record Reading(Scope scope, @Nullable LatchkeyEvent event) {

		/** Nothing: a verification. */
		public static final Reading NOTHING = new Reading(Scope.NOTHING, null);

		/** Everything: events may have been lost, or the SET could not be read. */
		public static final Reading EVERYTHING = new Reading(Scope.EVERYTHING, null);

		static Reading drop(LatchkeyEvent event) {
			return new Reading(Scope.DROP, event);
		}

		/** How much a SET makes stale. */
		public enum Scope {

			/** What the event names. */
			DROP,

			/** Nothing. */
			NOTHING,

			/** Everything. */
			EVERYTHING

		}

	}

}
