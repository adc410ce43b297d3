package io.latchkey.authorization.directory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.error.ConflictException;
import io.latchkey.authorization.error.Rule;
import org.jspecify.annotations.Nullable;

/**
 * The last full administrator stays: a directory change after which no enabled user with
 * a password holds every right of the catalog is refused (409), whether a user is
 * deleted, disabled or moved between groups, or a group loses a right or goes. (Since
 * granting a right needs holding it, nobody could ever hold that right again.) Checked
 * inside the change's {@link Directory#atomically} run, so two administrators cannot
 * remove each other at once. A directory that has no full administrator already (the
 * catalog grew) is not made worse by changes; {@link AdminBootstrap} mends it at start.
 */
final class LastAdministrator {

	private final Directory directory;

	private final RightsCatalog catalog;

	LastAdministrator(Directory directory, RightsCatalog catalog) {
		this.directory = directory;
		this.catalog = catalog;
	}

	/**
	 * Refuses (409) a change after which no enabled user with a password holds every
	 * right. {@code changed} maps lower-case usernames to their state after the change
	 * ({@code null}: deleted).
	 */
	void requireRemains(Map<String, Set<String>> groupsBefore, Map<String, Set<String>> groupsAfter,
			Map<String, @Nullable User> changed) {
		if (fullAdministrators(groupsAfter, changed) == 0 && fullAdministrators(groupsBefore, Map.of()) > 0) {
			throw new ConflictException(Rule.LAST_ADMINISTRATOR,
					"This would leave no enabled full administrator " + "(a user with a password holding every right: "
							+ String.join(", ", this.catalog.names()) + "): keep at least one");
		}
	}

	/**
	 * How many enabled users with a password hold every right, in the current directory.
	 */
	long count() {
		return fullAdministrators(this.directory.groups(), Map.of());
	}

	private long fullAdministrators(Map<String, Set<String>> groups, Map<String, @Nullable User> changed) {
		Set<String> every = this.catalog.names();
		Set<String> candidates = new LinkedHashSet<>();
		rarestGrantors(groups, every).forEach((group) -> candidates.addAll(this.directory.members(group)));
		candidates.addAll(changed.keySet());
		long count = 0;
		for (User user : this.directory.find(List.copyOf(candidates))) {
			String key = User.key(user.username());
			User current = changed.containsKey(key) ? changed.get(key) : user;
			if (current != null && current.enabled() && current.hasPassword()
					&& UserService.rightsOf(current.groups(), groups).containsAll(every)) {
				count++;
			}
		}
		return count;
	}

	/**
	 * The groups that grant the right fewest groups grant: a full administrator is in one
	 * of them, so only their members need to be read.
	 */
	private static Set<String> rarestGrantors(Map<String, Set<String>> groups, Set<String> rights) {
		Set<String> rarest = null;
		for (String right : rights) {
			Set<String> grantors = new LinkedHashSet<>();
			groups.forEach((group, granted) -> {
				if (granted.contains(right)) {
					grantors.add(group);
				}
			});
			if (rarest == null || grantors.size() < rarest.size()) {
				rarest = grantors;
			}
		}
		return (rarest != null) ? rarest : Set.of();
	}

}
