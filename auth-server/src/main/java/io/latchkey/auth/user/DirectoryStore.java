package io.latchkey.auth.user;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.latchkey.auth.system.RedisKeys;
import io.latchkey.auth.system.Spaced;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;

/**
 * Users and groups in Redis. All keys share the {@code {dir}} hash tag, so every change that
 * touches several of them is one Lua script: atomic on standalone Redis and on Cluster.
 */
@Repository
public class DirectoryStore {

	private static final RedisScript<Long> CREATE_USER = RedisScript.of("""
			if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
			redis.call('HSET', KEYS[1], unpack(ARGV, 2))
			redis.call('SADD', KEYS[2], ARGV[1])
			return 1
			""", Long.class);

	private static final RedisScript<Long> UPDATE_USER = RedisScript.of("""
			if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
			redis.call('HSET', KEYS[1], unpack(ARGV))
			return 1
			""", Long.class);

	/*
	 * Scripts that answer a list start it with FOUND or MISSING: a bare Lua false would reach
	 * Java as a one-element list holding null.
	 */

	/** Deletes the user and its token index; answers the token digests that must go next. */
	private static final RedisScript<List> DELETE_USER = RedisScript.of("""
			if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing'} end
			local out = redis.call('HVALS', KEYS[3])
			table.insert(out, 1, 'found')
			redis.call('DEL', KEYS[1], KEYS[3])
			redis.call('SREM', KEYS[2], ARGV[1])
			return out
			""", List.class);

	/** uid, enabled flag, then the rights of all the user's groups (space-separated strings). */
	private static final RedisScript<List> OWNER_STATE = RedisScript.of("""
			local user = redis.call('HMGET', KEYS[1], 'uid', 'enabled', 'groups')
			if not user[1] then return {'missing'} end
			local out = {'found', user[1], user[2] or '0'}
			for group in string.gmatch(user[3] or '', '%S+') do
				local rights = redis.call('HGET', KEYS[2], group)
				if rights then table.insert(out, rights) end
			end
			return out
			""", List.class);

	private static final RedisScript<Long> UPDATE_GROUP = RedisScript.of("""
			if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
			redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
			return 1
			""", Long.class);

	/** Deletes a group and takes it out of every member; answers the members. */
	private static final RedisScript<List> DELETE_GROUP = RedisScript.of("""
			if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return {'missing'} end
			local members = {'found'}
			for _, name in ipairs(redis.call('SMEMBERS', KEYS[2])) do
				local key = ARGV[2] .. name
				local groups = redis.call('HGET', key, 'groups')
				if groups then
					local kept = {}
					local found = false
					for group in string.gmatch(groups, '%S+') do
						if group == ARGV[1] then found = true else table.insert(kept, group) end
					end
					if found then
						redis.call('HSET', key, 'groups', table.concat(kept, ' '))
						table.insert(members, name)
					end
				end
			end
			return members
			""", List.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	public DirectoryStore(StringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/** Stores a new user; false if the username is taken. */
	public boolean create(User user) {
		List<String> args = new ArrayList<>();
		args.add(user.username());
		args.addAll(fields(user));
		Long created = this.redis.execute(CREATE_USER, List.of(this.keys.user(user.username()), this.keys.users()),
				args.toArray());
		return created != null && created == 1L;
	}

	/** Replaces an existing user's fields; false if there is no such user. */
	public boolean update(User user) {
		Long updated = this.redis.execute(UPDATE_USER, List.of(this.keys.user(user.username())),
				fields(user).toArray());
		return updated != null && updated == 1L;
	}

	/** Deletes a user; the digests of the tokens it owned, or empty if there was no such user. */
	public Optional<List<String>> delete(String username) {
		return found(this.redis.execute(DELETE_USER,
				List.of(this.keys.user(username), this.keys.users(), this.keys.tokensOf(username)), username));
	}

	public Optional<User> find(String username) {
		Map<Object, Object> hash = this.redis.opsForHash().entries(this.keys.user(username));
		return hash.isEmpty() ? Optional.empty() : Optional.of(toUser(username, hash));
	}

	public List<User> findAll() {
		Set<String> names = this.redis.opsForSet().members(this.keys.users());
		List<User> users = new ArrayList<>();
		if (names != null) {
			for (String name : names) {
				find(name).ifPresent(users::add);
			}
		}
		users.sort(Comparator.comparing(User::username, String.CASE_INSENSITIVE_ORDER));
		return users;
	}

	public boolean isEmpty() {
		Long size = this.redis.opsForSet().size(this.keys.users());
		return size == null || size == 0;
	}

	/** The owner's uid, status and current rights through its groups, in one round trip. */
	public Optional<OwnerState> ownerState(String username) {
		return found(this.redis.execute(OWNER_STATE, List.of(this.keys.user(username), this.keys.groups())))
			.map((state) -> {
				Set<String> rights = new LinkedHashSet<>();
				for (String groupRights : state.subList(2, state.size())) {
					rights.addAll(Spaced.split(groupRights));
				}
				return new OwnerState(state.get(0), "1".equals(state.get(1)), rights);
			});
	}

	/** All groups, by name, with their rights. */
	public Map<String, Set<String>> groups() {
		Map<String, Set<String>> groups = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		this.redis.<String, String>opsForHash()
			.entries(this.keys.groups())
			.forEach((name, rights) -> groups.put(name, Spaced.split(rights)));
		return groups;
	}

	public Optional<Set<String>> groupRights(String name) {
		String rights = this.redis.<String, String>opsForHash().get(this.keys.groups(), name);
		return Optional.ofNullable(rights).map(Spaced::split);
	}

	/** Creates a group; false if the name is taken. */
	public boolean createGroup(String name, Set<String> rights) {
		return Boolean.TRUE
			.equals(this.redis.opsForHash().putIfAbsent(this.keys.groups(), name, Spaced.join(rights)));
	}

	/** Replaces a group's rights; false if there is no such group. */
	public boolean updateGroup(String name, Set<String> rights) {
		Long updated = this.redis.execute(UPDATE_GROUP, List.of(this.keys.groups()), name,
				Spaced.join(rights));
		return updated != null && updated == 1L;
	}

	/** Deletes a group and removes it from its members; the members, or empty if no such group. */
	public Optional<List<String>> deleteGroup(String name) {
		return found(this.redis.execute(DELETE_GROUP, List.of(this.keys.groups(), this.keys.users()), name,
				this.keys.user("")));
	}

	/** Usernames of the group's members. */
	public List<String> members(String group) {
		return findAll().stream().filter((user) -> user.groups().contains(group)).map(User::username).toList();
	}

	/** The rest of a script's answer if it starts with FOUND. */
	@SuppressWarnings("unchecked")
	private static Optional<List<String>> found(List<?> answer) {
		if (answer == null || answer.isEmpty() || !"found".equals(answer.get(0))) {
			return Optional.empty();
		}
		return Optional.of((List<String>) answer.subList(1, answer.size()));
	}

	private static List<String> fields(User user) {
		return List.of("uid", user.uid(), "displayName", nullToEmpty(user.displayName()), "password",
				user.passwordHash(), "enabled", user.enabled() ? "1" : "0", "groups", Spaced.join(user.groups()),
				"createdAt", user.createdAt().toString());
	}

	private static User toUser(String username, Map<Object, Object> hash) {
		return new User(username, (String) hash.get("uid"), (String) hash.get("displayName"),
				(String) hash.get("password"), "1".equals(hash.get("enabled")), Spaced.split((String) hash.get("groups")),
				Instant.parse((String) hash.get("createdAt")));
	}


	private static String nullToEmpty(String value) {
		return (value != null) ? value : "";
	}
}
