package io.latchkey.authorization.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import io.latchkey.authorization.directory.Directory;
import io.latchkey.authorization.directory.DirectoryWrites;
import io.latchkey.authorization.directory.User;
import io.latchkey.authorization.error.ConflictException;
import io.latchkey.authorization.owner.OwnerState;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.StringUtils;

/**
 * Users and groups in Redis. All keys share the {@code {dir}} hash tag, so that every
 * change is one script on one node, on standalone Redis and on Cluster alike: a change
 * reads the version counter, reads what it needs, and its writes go as one script that
 * checks the counter first (see {@code directory-apply.lua}) and declares every key it
 * touches.
 */
public final class RedisDirectory implements Directory {

	private ReplicaAcknowledgement replicas = ReplicaAcknowledgement.none();

	private static final RedisScript<Long> APPLY = LuaScripts.load("directory-apply", Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> OWNER_STATE = LuaScripts.load("owner-state", List.class);

	private static final int ATTEMPTS = 20;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	public RedisDirectory(StringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/** Directory changes are acknowledged only once these replicas have them. */
	public void setReplicaAcknowledgement(ReplicaAcknowledgement replicas) {
		this.replicas = replicas;
	}

	/**
	 * Runs {@code change}, which reads what it needs through this store and collects its
	 * writes, and applies the writes only if the directory did not change meanwhile;
	 * otherwise runs it again. Refusals thrown by {@code change} propagate and nothing is
	 * written.
	 */
	@Override
	public <T> T atomically(Function<DirectoryWrites, T> change) {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			String version = version();
			Writes writes = new Writes();
			T result = change.apply(writes);
			if (writes.isEmpty()) {
				return result;
			}
			if (apply(version, writes)) {
				this.replicas.await(this.redis, this.keys.directoryVersion());
				return result;
			}
		}
		throw new ConflictException("The directory is changing too fast; try again");
	}

	private String version() {
		String version = this.redis.opsForValue().get(this.keys.directoryVersion());
		return (version != null) ? version : "0";
	}

	private boolean apply(String version, Writes writes) {
		List<String> keyList = new ArrayList<>();
		keyList.add(this.keys.directoryVersion());
		Map<String, Integer> index = new HashMap<>();
		List<String> args = new ArrayList<>();
		args.add(version);
		for (Op op : writes.ops) {
			Integer position = index.computeIfAbsent(op.key(), (key) -> {
				keyList.add(key);
				return keyList.size();
			});
			args.add(op.name());
			args.add(Integer.toString(position));
			args.add(Integer.toString(op.args().size()));
			args.addAll(op.args());
		}
		Long applied = this.redis.execute(APPLY, keyList, args.toArray());
		return applied != null && applied > 0;
	}

	@Override
	public Optional<String> email(String username) {
		return find(username).map(User::email);
	}

	@Override
	public Optional<User> find(String username) {
		Map<Object, Object> hash = this.redis.opsForHash().entries(this.keys.user(username));
		return Optional.ofNullable(toUser(hash));
	}

	/** The lower-case names of all users, sorted. */
	@Override
	public List<String> usernames() {
		Set<String> names = this.redis.opsForSet().members(this.keys.users());
		List<String> sorted = (names != null) ? new ArrayList<>(names) : new ArrayList<>();
		sorted.sort(null);
		return sorted;
	}

	/**
	 * The users of the given (lower-case) names, in that order, skipping names no longer
	 * there.
	 */
	@Override
	public List<User> find(List<String> usernames) {
		List<Object> hashes = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			for (String name : usernames) {
				connection.hashCommands().hGetAll(this.keys.user(name).getBytes(StandardCharsets.UTF_8));
			}
			return null;
		}, this.redis.getHashValueSerializer());
		List<User> users = new ArrayList<>();
		for (Object hash : hashes) {
			if (hash instanceof Map<?, ?> map) {
				@SuppressWarnings("unchecked")
				User user = toUser((Map<Object, Object>) map);
				if (user != null) {
					users.add(user);
				}
			}
		}
		users.sort(Comparator.comparing((User user) -> User.key(user.username())));
		return users;
	}

	@Override
	public boolean isEmpty() {
		Long size = this.redis.opsForSet().size(this.keys.users());
		return size == null || size == 0;
	}

	/** Every change to a user or group here is published by the services that make it. */
	@Override
	public boolean announcesChanges() {
		return true;
	}

	/**
	 * The owner's uid, status, current rights through its groups and stamp, in one round
	 * trip.
	 */
	@Override
	public Optional<OwnerState> ownerState(String username) {
		return found(this.redis.execute(OWNER_STATE, List.of(this.keys.user(username), this.keys.groups())))
			.map((state) -> {
				Set<String> rights = new LinkedHashSet<>();
				for (String groupRights : state.subList(4, state.size())) {
					rights.addAll(Spaced.split(groupRights));
				}
				return new OwnerState(state.get(0), state.get(1), "1".equals(state.get(2)), rights, state.get(3));
			});
	}

	/** All groups, by name, with their rights. */
	@Override
	public Map<String, Set<String>> groups() {
		Map<String, Set<String>> groups = new TreeMap<>(
				String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder()));
		this.redis.<String, String>opsForHash()
			.entries(this.keys.groups())
			.forEach((name, rights) -> groups.put(name, Spaced.split(rights)));
		return groups;
	}

	@Override
	public Optional<Set<String>> groupRights(String name) {
		String rights = this.redis.<String, String>opsForHash().get(this.keys.groups(), name);
		return Optional.ofNullable(rights).map(Spaced::split);
	}

	/** The lower-case usernames of the group's members. */
	@Override
	public Set<String> members(String group) {
		Set<String> members = this.redis.opsForSet().members(this.keys.members(group));
		return (members != null) ? members : Set.of();
	}

	/** The digests of the user's tokens, from its token index. */
	@Override
	public List<String> tokenDigests(String username) {
		List<String> digests = new ArrayList<>();
		this.redis.<String, String>opsForHash()
			.values(this.keys.tokensOf(username))
			.forEach((entry) -> digests.add(TokenRecordCodec.digestOf(entry)));
		return digests;
	}

	@SuppressWarnings("unchecked")
	private static Optional<List<String>> found(@Nullable List<?> answer) {
		if (answer == null || answer.isEmpty() || !"found".equals(answer.get(0))) {
			return Optional.empty();
		}
		return Optional.of((List<String>) answer.subList(1, answer.size()));
	}

	private static @Nullable User toUser(Map<Object, Object> hash) {
		String username = (String) hash.get("username");
		String uid = (String) hash.get("uid");
		if (username == null || uid == null) {
			return null;
		}
		return new User(username, uid, emptyToNull((String) hash.get("displayName")),
				emptyToNull((String) hash.get("password")), "1".equals(hash.get("enabled")),
				Spaced.split((String) hash.get("groups")), Instant.parse((String) hash.get("createdAt")),
				String.valueOf(hash.getOrDefault("stamp", "")), emptyToNull((String) hash.get("email")));
	}

	private static @Nullable String emptyToNull(@Nullable String value) {
		return StringUtils.hasText(value) ? value : null;
	}

	private static String nullToEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private record Op(String name, String key, List<String> args) {
	}

	/** The writes one change collects; applied together, or not at all. */
	private final class Writes implements DirectoryWrites {

		private final List<Op> ops = new ArrayList<>();

		boolean isEmpty() {
			return this.ops.isEmpty();
		}

		/** Stores the user (new or changed) and keeps the group member sets in step. */
		@Override
		public void saveUser(User user, Collection<String> previousGroups) {
			String name = User.key(user.username());
			this.ops.add(new Op("HSET", keys().user(name),
					List.of("username", user.username(), "uid", user.uid(), "displayName",
							nullToEmpty(user.displayName()), "password", nullToEmpty(user.passwordHash()), "enabled",
							user.enabled() ? "1" : "0", "groups", Spaced.join(user.groups()), "createdAt",
							user.createdAt().toString(), "stamp", user.stamp(), "email", nullToEmpty(user.email()))));
			this.ops.add(new Op("SADD", keys().users(), List.of(name)));
			for (String group : previousGroups) {
				if (!user.groups().contains(group)) {
					this.ops.add(new Op("SREM", keys().members(group), List.of(name)));
				}
			}
			for (String group : user.groups()) {
				this.ops.add(new Op("SADD", keys().members(group), List.of(name)));
			}
		}

		/**
		 * Deletes the user, its token index and its revoked tokens' listings (its token
		 * records go separately).
		 */
		@Override
		public void deleteUser(User user) {
			String name = User.key(user.username());
			this.ops.add(new Op("DEL", keys().user(name), List.of()));
			this.ops.add(new Op("SREM", keys().users(), List.of(name)));
			this.ops.add(new Op("DEL", keys().tokensOf(name), List.of()));
			this.ops.add(new Op("DEL", keys().revokedOf(name), List.of()));
			this.ops.add(new Op("DEL", keys().revokedDropsOf(name), List.of()));
			for (String group : user.groups()) {
				this.ops.add(new Op("SREM", keys().members(group), List.of(name)));
			}
		}

		@Override
		public void saveGroup(String name, Set<String> rights) {
			this.ops.add(new Op("HSET", keys().groups(), List.of(name, Spaced.join(rights))));
		}

		/**
		 * Deletes the group and takes it out of each member, given as read in this
		 * change.
		 */
		@Override
		public void deleteGroup(String name, List<User> members) {
			this.ops.add(new Op("HDEL", keys().groups(), List.of(name)));
			this.ops.add(new Op("DEL", keys().members(name), List.of()));
			for (User member : members) {
				Set<String> kept = new LinkedHashSet<>(member.groups());
				kept.remove(name);
				this.ops.add(new Op("HSET", keys().user(member.username()), List.of("groups", Spaced.join(kept))));
			}
		}

	}

	private RedisKeys keys() {
		return this.keys;
	}

}
