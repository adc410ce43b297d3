package io.latchkey.authorization.access;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import io.latchkey.authorization.error.NotAllowedException;
import org.jspecify.annotations.Nullable;

/**
 * Who is asking, as the services see it: the username, the rights of this very request (a
 * session's or password's current rights, or a token's current scopes), and when the password
 * was last verified ({@code null} for a bearer token). Every rule of "who may do what" is checked
 * against an actor, in the services, whatever the door (API, portal) the request came through.
 */
public record Actor(String username, Set<String> rights, @Nullable Instant passwordVerifiedAt) {

	public Actor {
		rights = Set.copyOf(rights);
	}

	/** Whether the request proved the password (HTTP Basic, the sign-in form), rather than a token. */
	public boolean passwordAuthenticated() {
		return this.passwordVerifiedAt != null;
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

	/** Refuses (403) unless the actor holds {@code right}. */
	public void require(String right) {
		if (!holds(right)) {
			throw new NotAllowedException("This needs the right '" + right + "'");
		}
	}

	/**
	 * Refuses (403) unless the actor holds every one of {@code rights}; {@code why} explains the
	 * refusal, and the problem lists the rights that were missing.
	 */
	public void requireAll(Collection<String> rights, String why) {
		if (!holdsAll(rights)) {
			Set<String> missing = new TreeSet<>(rights);
			missing.removeAll(this.rights);
			throw new NotAllowedException(why + "; rights you do not hold: " + String.join(", ", missing));
		}
	}

	/** Refuses (403) a request authenticated by a bearer token: {@code what} needs the password. */
	public void requirePassword(String what) {
		if (!passwordAuthenticated()) {
			throw new NotAllowedException(what + " requires password authentication (HTTP Basic or the portal), "
					+ "never a bearer token");
		}
	}

}
