package io.latchkey.auth.system;

import io.latchkey.auth.LatchkeyProperties;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The Redis keyspace. The directory (users, groups, each user's token index) shares the hash
 * tag {@code {dir}}, so that its multi-key changes run as one Lua script even on Redis
 * Cluster; token records are spread over the cluster by their digest, and operations that
 * touch both are ordered so that a crash in between leaves nothing usable behind.
 * Names never contain braces (see the name patterns), so no name can move a key's slot.
 */
@Component
public class RedisKeys {

	private final String prefix;

	@Autowired
	public RedisKeys(LatchkeyProperties properties) {
		this(properties.redis().keyPrefix());
	}

	public RedisKeys(String prefix) {
		this.prefix = prefix;
	}

	/** HASH of one token record, found from the token alone through its SHA-256 digest. */
	public String token(String digest) {
		return this.prefix + ":token:{" + digest + "}";
	}

	/** HASH of one user. */
	public String user(String username) {
		return this.prefix + ":{dir}:user:" + username;
	}

	/** SET of all usernames. */
	public String users() {
		return this.prefix + ":{dir}:users";
	}

	/** HASH group name to space-separated rights. */
	public String groups() {
		return this.prefix + ":{dir}:groups";
	}

	/** HASH token id to token digest, one per owner. */
	public String tokensOf(String username) {
		return this.prefix + ":{dir}:tokens:" + username;
	}

	/** Capped STREAM of audit events. */
	public String audit() {
		return this.prefix + ":audit";
	}

}
