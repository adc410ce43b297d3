package io.latchkey.core.event;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One message on the events channel: what happened and to which token or users. Carries
 * token ids and digests (SHA-256), never token values. {@link #usernames()} are the users
 * whose cached answers go stale; for a {@link EventType.Reach#TOKEN token} event,
 * {@link #tokenDigest()} is the one answer that does, and {@link #audience()} the
 * services the token was meant for: the auth server tells a Shared Signals receiver of a
 * token only if it is one of them. The audience stays in the auth server: the events
 * channel does not carry it (its subscribers hear every event).
 */
public record LatchkeyEvent(EventType type, @Nullable String username, @Nullable String tokenId,
		@Nullable String tokenDigest, @Nullable String group, List<String> usernames, Instant at,
		@Nullable Set<String> audience) {

	public LatchkeyEvent {
		usernames = List.copyOf(usernames);
		audience = (audience != null) ? Set.copyOf(audience) : null;
	}

	/**
	 * An event whose token, if it names one, may be meant for any service (a token
	 * without an audience, or an event read from the channel).
	 */
	public LatchkeyEvent(EventType type, @Nullable String username, @Nullable String tokenId,
			@Nullable String tokenDigest, @Nullable String group, List<String> usernames, Instant at) {
		this(type, username, tokenId, tokenDigest, group, usernames, at, null);
	}

	public static LatchkeyEvent tokenRevoked(String username, String tokenId, String tokenDigest, Instant at) {
		return new LatchkeyEvent(EventType.TOKEN_REVOKED, username, tokenId, tokenDigest, null, List.of(), at);
	}

	/**
	 * A token was revoked.
	 * @param audience the services (client ids) it was meant for; {@code null}: any
	 */
	public static LatchkeyEvent tokenRevoked(String username, String tokenId, String tokenDigest,
			@Nullable Set<String> audience, Instant at) {
		return new LatchkeyEvent(EventType.TOKEN_REVOKED, username, tokenId, tokenDigest, null, List.of(), at,
				audience);
	}

	/**
	 * A token was rotated: its answer goes stale (it now stops working at the end of its
	 * overlap, or at once), its successor is a new token nobody has cached.
	 */
	public static LatchkeyEvent tokenRotated(String username, String tokenId, String tokenDigest, Instant at) {
		return new LatchkeyEvent(EventType.TOKEN_ROTATED, username, tokenId, tokenDigest, null, List.of(), at);
	}

	/**
	 * A token was rotated.
	 * @param audience the services (client ids) it was meant for; {@code null}: any
	 */
	public static LatchkeyEvent tokenRotated(String username, String tokenId, String tokenDigest,
			@Nullable Set<String> audience, Instant at) {
		return new LatchkeyEvent(EventType.TOKEN_ROTATED, username, tokenId, tokenDigest, null, List.of(), at,
				audience);
	}

	/** An event about one user: every answer about that user's tokens goes stale. */
	public static LatchkeyEvent user(EventType type, String username, Instant at) {
		return new LatchkeyEvent(type, username, null, null, null, List.of(username), at);
	}

	/** An event about a group: every answer about its members' tokens goes stale. */
	public static LatchkeyEvent group(EventType type, String group, List<String> members, Instant at) {
		return new LatchkeyEvent(type, null, null, null, group, members, at);
	}

}
