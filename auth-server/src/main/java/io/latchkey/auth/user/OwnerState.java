package io.latchkey.auth.user;

import java.util.Set;

/** What introspection needs to know of a token's owner, read in one round trip. */
public record OwnerState(String uid, boolean enabled, Set<String> rights) {

	public OwnerState {
		rights = Set.copyOf(rights);
	}

}
