package io.latchkey.authorization.owner;

import java.util.Optional;

/**
 * Where token owners live. Every introspection asks it for the owner's current state, so
 * a token always carries its owner's current rights and dies with the account. Latchkey's
 * Redis directory (users and groups, managed through {@code /api/users} and the portal)
 * is the default implementation; an application that keeps its users elsewhere (its own
 * {@code UserDetailsService}, LDAP) declares its own bean, and Latchkey's directory steps
 * aside.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface OwnerDirectory {

	/**
	 * The user's state now, or empty if there is no such user. Usernames match regardless
	 * of case; the answer carries the canonical spelling. Called on every introspection
	 * of a token that is not cached: it should be one fast lookup.
	 * @param username the username, in any case
	 * @return the user's state, or empty
	 */
	Optional<OwnerState> ownerState(String username);

	/**
	 * Where the user gets notices (expiry of its tokens), if it has an e-mail address. A
	 * directory without e-mail addresses leaves this as it is: notices then go to
	 * webhooks only.
	 * @param username the canonical username
	 * @return its e-mail address, or empty
	 */
	default Optional<String> email(String username) {
		return Optional.empty();
	}

	/**
	 * Whether every change to an owner's state (disabled, deleted, rights changed) is
	 * announced on the events channel, so that the auth server may cache states until an
	 * event says they changed. Latchkey's own directory does; a directory whose users
	 * change elsewhere cannot promise it, keeps the default, and is asked on every
	 * verification.
	 * @return {@code true} if states may be cached
	 */
	default boolean announcesChanges() {
		return false;
	}

}
