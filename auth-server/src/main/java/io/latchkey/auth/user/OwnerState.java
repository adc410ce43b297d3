package io.latchkey.auth.user;

import java.util.Set;

/**
 * What introspection and live sessions need to know of a user, read in one round trip: the
 * account's uid, whether it is enabled, its current rights through its groups, and the stamp
 * that changes with its password.
 */
public record OwnerState(String username, String uid, boolean enabled, Set<String> rights, String stamp) {

	public OwnerState {
		rights = Set.copyOf(rights);
	}

}
