package io.latchkey.authorization.directory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.latchkey.authorization.owner.OwnerDirectory;

/**
 * Latchkey's own directory of users and groups, the default {@link OwnerDirectory}.
 * Changes are optimistic: {@link #atomically} lets a change read what it needs through
 * this directory and collect its writes, and applies them only if nothing else changed
 * the directory meanwhile (else it runs the change again). Rules that span several
 * records (the last administrator, what an actor may grant) therefore hold under
 * concurrent changes.
 */
public interface Directory extends OwnerDirectory {

	/**
	 * Runs {@code change}, which reads through this directory and collects its writes,
	 * and applies the writes only if the directory did not change meanwhile; otherwise
	 * runs it again. A refusal thrown by {@code change} propagates and nothing is
	 * written.
	 */
	<T> T atomically(Function<DirectoryWrites, T> change);

	/** A user, by name regardless of case. */
	Optional<User> find(String username);

	/**
	 * The users of the given (lower-case) names, sorted by name, skipping names no longer
	 * there.
	 */
	List<User> find(List<String> usernames);

	/** The lower-case names of all users, sorted. */
	List<String> usernames();

	boolean isEmpty();

	/** All groups, by name, with their rights. */
	Map<String, Set<String>> groups();

	Optional<Set<String>> groupRights(String name);

	/** The lower-case usernames of the group's members. */
	Set<String> members(String group);

	/** The digests of the user's tokens, from its token index. */
	List<String> tokenDigests(String username);

}
