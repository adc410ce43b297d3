package io.latchkey.authorization.directory;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/** The writes one directory change collects; applied together, or not at all. */
public interface DirectoryWrites {

	/**
	 * Stores the user (new or changed); {@code previousGroups} keeps group memberships in
	 * step.
	 */
	void saveUser(User user, Collection<String> previousGroups);

	/** Deletes the user and its token index (its token records go separately). */
	void deleteUser(User user);

	void saveGroup(String name, Set<String> rights);

	/** Deletes the group and takes it out of each member, as read in this change. */
	void deleteGroup(String name, List<User> members);

}
