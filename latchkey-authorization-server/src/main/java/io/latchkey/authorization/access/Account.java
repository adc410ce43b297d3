package io.latchkey.authorization.access;

import java.util.Set;

/**
 * A user as the policy sees it when someone acts on it: its canonical name, its current
 * rights (through its groups), whether it can sign in with a password, and whether it is
 * enabled.
 *
 * @param username the canonical username
 * @param rights its current rights
 * @param hasPassword whether it has a password (otherwise it is a service account)
 * @param enabled whether it is enabled
 */
public record Account(String username, Set<String> rights, boolean hasPassword, boolean enabled) {

	public Account {
		rights = Set.copyOf(rights);
	}

}
