package io.latchkey.authorization.owner;

import java.util.Set;

/**
 * What tokens need to know of their owner, now: its canonical username, an id that a new
 * account of the same name never shares ({@code uid}), whether it is enabled, its current rights,
 * and a stamp that changes with its password (which ends its other portal sessions).
 */
public record OwnerState(String username, String uid, boolean enabled, Set<String> rights, String stamp) {

	public OwnerState {
		rights = Set.copyOf(rights);
	}

}
