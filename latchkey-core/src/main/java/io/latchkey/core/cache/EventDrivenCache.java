package io.latchkey.core.cache;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.latchkey.core.event.EventType;
import io.latchkey.core.event.LatchkeyEvent;
import io.latchkey.core.event.LatchkeyEventCodec;
import io.latchkey.core.event.SecurityEventCodec;

/**
 * A cache the auth server's events make stale, by the one rule both libraries follow: an
 * event drops what its type's {@link EventType#reach() reach} names, the one token whose
 * digest it carries, or everything about the users it names (usernames match
 * case-insensitively, by {@link #usernameKey}). A token event without a digest drops
 * everything.
 * <p>
 * What a cache does while events may not reach it differs with what it caches, and is
 * said by each: the auth server's verification cache reads the same Redis that holds the
 * truth, so it stands aside (and every verification reads Redis, or answers 503) as soon
 * as a connection to it drops; a resource service's introspection cache holds answers the
 * auth server gave over HTTP, already bounded by its maximum age, so it keeps serving
 * them within that age while its subscription is away, and empties when the subscription
 * is back.
 *
 * @since 0.1
 */
public interface EventDrivenCache {

	/**
	 * Drops what is cached about one token.
	 * @param tokenDigest the SHA-256 of the token, as events carry it
	 */
	void dropToken(String tokenDigest);

	/**
	 * Drops everything cached about these users' tokens, in one pass.
	 * @param usernameKeys the users, each by its {@link #usernameKey}
	 */
	void dropUsers(Set<String> usernameKeys);

	/** Drops everything. */
	void dropAll();

	/**
	 * Drops what the event makes stale, as its type's reach says.
	 * @param event an event from the channel
	 */
	default void apply(LatchkeyEvent event) {
		switch (event.type().reach()) {
			case TOKEN -> {
				if (event.tokenDigest() != null) {
					dropToken(event.tokenDigest());
				}
				else {
					dropAll();
				}
			}
			case USERS ->
				dropUsers(event.usernames().stream().map(EventDrivenCache::usernameKey).collect(Collectors.toSet()));
		}
	}

	/**
	 * Applies one message of the events channel; one it cannot read drops everything,
	 * since it might have been a revocation.
	 * @param codec the events' JSON form
	 * @param message the message as it came
	 * @return whether it could be read
	 */
	default boolean apply(LatchkeyEventCodec codec, String message) {
		Optional<LatchkeyEvent> event = codec.decode(message);
		event.ifPresentOrElse(this::apply, this::dropAll);
		return event.isPresent();
	}

	/**
	 * Applies one Security Event Token of a Shared Signals stream: drops what it names; a
	 * verification drops nothing; a {@code stream-updated} (events may have been lost) or
	 * a SET it cannot read drops everything.
	 * @param codec the events' Shared Signals form
	 * @param claims the claims of a SET whose signature, issuer, audience and freshness
	 * were verified
	 */
	default void apply(SecurityEventCodec codec, java.util.Map<String, Object> claims) {
		SecurityEventCodec.Reading reading = codec.decode(claims);
		switch (reading.scope()) {
			case DROP -> apply(java.util.Objects.requireNonNull(reading.event()));
			case NOTHING -> {
			}
			case EVERYTHING -> dropAll();
		}
	}

	/**
	 * How a username is matched: case-insensitively, whatever case an event or an answer
	 * spells it in.
	 * @param username a username
	 * @return its key
	 */
	static String usernameKey(String username) {
		return username.toLowerCase(Locale.ROOT);
	}

}
