package io.latchkey.auth.user;

import java.time.Instant;
import java.util.Set;

/**
 * A portal user. {@code uid} is random per account: tokens remember it, so a token of a deleted
 * user never comes back to life when somebody creates a user of the same name.
 */
public record User(String username, String uid, String displayName, String passwordHash, boolean enabled,
		Set<String> groups, Instant createdAt) {

	public User {
		groups = Set.copyOf(groups);
	}

	User withEnabled(boolean enabled) {
		return new User(this.username, this.uid, this.displayName, this.passwordHash, enabled, this.groups,
				this.createdAt);
	}

	User withDisplayName(String displayName) {
		return new User(this.username, this.uid, displayName, this.passwordHash, this.enabled, this.groups,
				this.createdAt);
	}

	User withPasswordHash(String passwordHash) {
		return new User(this.username, this.uid, this.displayName, passwordHash, this.enabled, this.groups,
				this.createdAt);
	}

	User withGroups(Set<String> groups) {
		return new User(this.username, this.uid, this.displayName, this.passwordHash, this.enabled, groups,
				this.createdAt);
	}

}
