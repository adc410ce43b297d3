package io.latchkey.authorization.directory;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A portal user. {@code uid} is random per account: tokens remember it, so a token of a
 * deleted user never comes back to life when somebody creates a user of the same name. A
 * user without a password hash is a service account: it cannot sign in, it only owns
 * tokens. {@code stamp} changes with every password change, which ends the user's other
 * portal sessions. Usernames keep the case they were created with but are unique
 * regardless of case.
 */
public record User(String username, String uid, @Nullable String displayName, @Nullable String passwordHash,
		boolean enabled, Set<String> groups, Instant createdAt, String stamp, @Nullable String email) {

	public User {
		groups = Set.copyOf(groups);
	}

	/** Whether this user can sign in with a password (a service account cannot). */
	public boolean hasPassword() {
		return this.passwordHash != null && !this.passwordHash.isEmpty();
	}

	/**
	 * The case-insensitive form of a username, under which it is stored and looked up.
	 */
	public static String key(String username) {
		return username.toLowerCase(Locale.ROOT);
	}

	User withEnabled(boolean enabled) {
		return new User(this.username, this.uid, this.displayName, this.passwordHash, enabled, this.groups,
				this.createdAt, this.stamp, this.email);
	}

	User withDisplayName(@Nullable String displayName) {
		return new User(this.username, this.uid, displayName, this.passwordHash, this.enabled, this.groups,
				this.createdAt, this.stamp, this.email);
	}

	User withPassword(String passwordHash, String stamp) {
		return new User(this.username, this.uid, this.displayName, passwordHash, this.enabled, this.groups,
				this.createdAt, stamp, this.email);
	}

	User withGroups(Set<String> groups) {
		return new User(this.username, this.uid, this.displayName, this.passwordHash, this.enabled, groups,
				this.createdAt, this.stamp, this.email);
	}

	User withEmail(@Nullable String email) {
		return new User(this.username, this.uid, this.displayName, this.passwordHash, this.enabled, this.groups,
				this.createdAt, this.stamp, email);
	}

}
