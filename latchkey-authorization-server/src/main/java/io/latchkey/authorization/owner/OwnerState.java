package io.latchkey.authorization.owner;

import java.util.Set;

/**
 * What tokens need to know of their owner, now: its canonical username, an id that a new
 * account of the same name never shares ({@code uid}), whether it is enabled, its current
 * rights, and a stamp that changes with its password (which ends its other portal
 * sessions).
 *
 * @param username the canonical username
 * @param uid an id a re-created account of the same name never shares
 * @param enabled whether the account is enabled
 * @param rights its current rights
 * @param stamp a value that changes with its password
 * @since 0.1
 */
public record OwnerState(String username, String uid, boolean enabled, Set<String> rights, String stamp) {

	/**
	 * An owner's state; {@code rights} is copied.
	 */
	public OwnerState {
		rights = Set.copyOf(rights);
	}

}
