package io.latchkey.authorization.access;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Who is asking, as the services see it: the username, the rights of this very request (a
 * session's or password's current rights, or a token's current scopes), and when the
 * password was last verified ({@code null} for a bearer token). {@link AccessPolicy}
 * decides what an actor may do, whatever the door (API, portal, OAuth endpoints) the
 * request came through.
 *
 * @param username the canonical username
 * @param rights the rights of this request
 * @param passwordVerifiedAt when the password was last verified, {@code null} for a
 * bearer token
 * @since 0.1
 */
public record Actor(String username, Set<String> rights, @Nullable Instant passwordVerifiedAt) {

	public Actor {
		rights = Set.copyOf(rights);
	}

	/**
	 * Whether the request proved the password (HTTP Basic, the sign-in form), rather than
	 * a token.
	 */
	public boolean passwordAuthenticated() {
		return this.passwordVerifiedAt != null;
	}

	/** Whether the request came with a bearer token (no password factor). */
	public boolean bearer() {
		return this.passwordVerifiedAt == null;
	}

	public boolean holds(String right) {
		return this.rights.contains(right);
	}

	public boolean holdsAll(Collection<String> rights) {
		return this.rights.containsAll(rights);
	}

	/** Whether the actor is that user (usernames match regardless of case). */
	public boolean is(String username) {
		return this.username.equalsIgnoreCase(username);
	}

}
