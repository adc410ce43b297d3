package io.latchkey.authorization.directory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.error.ConflictException;
import org.jspecify.annotations.Nullable;

/**
 * The last administrator cannot be removed: a directory change after which no enabled user with
 * a password holds {@code users.manage} is refused (409), whether a user is deleted, disabled or
 * taken out of a group, or a group loses the right or goes. Checked inside the change's
 * {@link Directory#atomically} run, so two administrators cannot remove each other at once.
 */
final class LastAdministrator {

	private final Directory directory;

	LastAdministrator(Directory directory) {
		this.directory = directory;
	}

	/**
	 * Refuses (409) a change after which no enabled user with a password holds
	 * {@code users.manage}: nobody could administer the directory any more. {@code changed}
	 * maps lower-case usernames to their state after the change ({@code null}: deleted).
	 */
	void requireRemains(Map<String, Set<String>> groupsBefore, Map<String, Set<String>> groupsAfter,
			Map<String, @Nullable User> changed) {
		if (administrators(groupsAfter, changed) == 0 && administrators(groupsBefore, Map.of()) > 0) {
			throw new ConflictException("This would leave no enabled administrator (a user with a password and the "
					+ "right '" + RightsCatalog.USERS_MANAGE + "'): keep at least one");
		}
	}

	private long administrators(Map<String, Set<String>> groups, Map<String, @Nullable User> changed) {
		Set<String> adminGroups = new LinkedHashSet<>();
		groups.forEach((name, rights) -> {
			if (rights.contains(RightsCatalog.USERS_MANAGE)) {
				adminGroups.add(name);
			}
		});
		Set<String> candidates = new LinkedHashSet<>();
		adminGroups.forEach((group) -> candidates.addAll(this.directory.members(group)));
		candidates.addAll(changed.keySet());
		long count = 0;
		for (User user : this.directory.find(List.copyOf(candidates))) {
			String key = User.key(user.username());
			User current = changed.containsKey(key) ? changed.get(key) : user;
			if (current != null && current.enabled() && current.hasPassword()
					&& current.groups().stream().anyMatch(adminGroups::contains)) {
				count++;
			}
		}
		return count;
	}

}
