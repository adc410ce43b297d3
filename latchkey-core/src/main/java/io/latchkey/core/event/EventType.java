package io.latchkey.core.event;

import java.util.Optional;

/**
 * What the auth server announces on the events channel, and what each kind of event makes
 * stale in a resource service's cache: the one token it names, or every token of the
 * users it names. This is the one place where that is decided; both sides use it.
 */
public enum EventType {

	/**
	 * One token was revoked: drop that token's answer only ({@code username} just says
	 * whose it was).
	 */
	TOKEN_REVOKED("token.revoked", Reach.TOKEN),

	/**
	 * One token was rotated: drop that token's answer (it stops working at once, or when
	 * its overlap ends, which the next answer's {@code exp} says).
	 */
	TOKEN_ROTATED("token.rotated", Reach.TOKEN),

	/** All of a user's tokens were revoked at once. */
	USER_TOKENS_REVOKED("user.tokens_revoked", Reach.USERS),

	/** A user was disabled: its tokens are inactive. */
	USER_DISABLED("user.disabled", Reach.USERS),

	/** A user was deleted, with its tokens. */
	USER_DELETED("user.deleted", Reach.USERS),

	/** A user's groups changed, so its tokens' rights did. */
	USER_CHANGED("user.changed", Reach.USERS),

	/** A group's rights changed, so its members' tokens' rights did. */
	GROUP_CHANGED("group.changed", Reach.USERS),

	/** A group was deleted: its members lost its rights. */
	GROUP_DELETED("group.deleted", Reach.USERS);

	private final String wireName;

	private final Reach reach;

	EventType(String wireName, Reach reach) {
		this.wireName = wireName;
		this.reach = reach;
	}

	/** The {@code type} field of the JSON message. */
	public String wireName() {
		return this.wireName;
	}

	/** What a cache must drop when it hears this event. */
	public Reach reach() {
		return this.reach;
	}

	public static Optional<EventType> fromWireName(String wireName) {
		for (EventType type : values()) {
			if (type.wireName.equals(wireName)) {
				return Optional.of(type);
			}
		}
		return Optional.empty();
	}

	/** What an event makes stale. */
	public enum Reach {

		/** The answer for the token whose digest the event carries. */
		TOKEN,

		/** Every answer about a token of the users the event names. */
		USERS

	}

}
