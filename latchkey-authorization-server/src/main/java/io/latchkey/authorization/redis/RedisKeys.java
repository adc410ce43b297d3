package io.latchkey.authorization.redis;

import java.util.Locale;

/**
 * The Redis keyspace. The directory (users, groups, each user's token index) shares the
 * hash tag {@code {dir}}, so that its multi-key changes run as one Lua script even on
 * Redis Cluster; token records are spread over the cluster by their digest, and
 * operations that touch both are ordered so that a crash in between leaves nothing usable
 * behind. Names never contain braces (see the name patterns), so no name can move a key's
 * slot.
 */
public final class RedisKeys {

	private final String prefix;

	public RedisKeys(String prefix) {
		this.prefix = prefix;
	}

	/**
	 * HASH of one token record, found from the token alone through its SHA-256 digest.
	 */
	public String token(String digest) {
		return this.prefix + ":token:{" + digest + "}";
	}

	/**
	 * HASH of one user, under the lower-case form of its name (usernames are unique
	 * regardless of case).
	 */
	public String user(String username) {
		return this.prefix + ":{dir}:user:" + username.toLowerCase(java.util.Locale.ROOT);
	}

	/** SET of the lower-case usernames of a group's members. */
	public String members(String group) {
		return this.prefix + ":{dir}:members:" + group;
	}

	/**
	 * STRING counter that every directory write increments: writes are applied only if it
	 * did not move.
	 */
	public String directoryVersion() {
		return this.prefix + ":{dir}:version";
	}

	/** SET of all usernames, in lower case. */
	public String users() {
		return this.prefix + ":{dir}:users";
	}

	/** HASH group name to space-separated rights. */
	public String groups() {
		return this.prefix + ":{dir}:groups";
	}

	/** HASH token id to "digest expiry", one per owner. */
	public String tokensOf(String username) {
		return this.prefix + ":{dir}:tokens:" + username.toLowerCase(java.util.Locale.ROOT);
	}

	/**
	 * SET of the lower-case names of owners who were given a token (whether or not in
	 * Latchkey's directory), read by the pass over idle tokens; an owner leaves it once
	 * its index is gone.
	 */
	public String tokenOwners() {
		return this.prefix + ":{dir}:token-owners";
	}

	/**
	 * HASH token id to the listing of a revoked token, one per owner, until it would have
	 * dropped from the owner's list.
	 */
	public String revokedOf(String username) {
		return this.prefix + ":{dir}:revoked:" + username.toLowerCase(java.util.Locale.ROOT);
	}

	/**
	 * ZSET of the ids in {@link #revokedOf} by when each drops from the list (epoch
	 * millis).
	 */
	public String revokedDropsOf(String username) {
		return this.prefix + ":{dir}:revoked-drops:" + username.toLowerCase(java.util.Locale.ROOT);
	}

	/**
	 * ZSET of token digests by when their next expiry notice is due (epoch millis); in
	 * the directory slot.
	 */
	public String expiries() {
		return this.prefix + ":{dir}:expiries";
	}

	/**
	 * Prefix of the throttling buckets (Bucket4j state, one key per username, address or
	 * client).
	 */
	public String throttle(String bucket) {
		return this.prefix + ":throttle:" + bucket;
	}

	/**
	 * Capped STREAM of audit events: the lifecycle trail (tokens, users, groups,
	 * notices).
	 */
	public String audit() {
		return this.prefix + ":audit";
	}

	/**
	 * Capped STREAM of summaries of failed and throttled attempts, apart from the
	 * lifecycle trail.
	 */
	public String attempts() {
		return this.prefix + ":{attempts}:audit";
	}

	/**
	 * HASH of one window's attempt summaries to their counts; in the attempts stream's
	 * slot.
	 */
	public String attemptCounts(long windowStartMillis) {
		return this.prefix + ":{attempts}:counts:" + windowStartMillis;
	}

	/**
	 * HASH of one token request. Token requests share the hash tag {@code {approvals}},
	 * so that a change of state and the indexes change in one Lua script on Cluster too.
	 */
	public String tokenRequest(String id) {
		return this.prefix + ":{approvals}:request:" + id;
	}

	/**
	 * ZSET of the request ids of a user's tokens and of the requests they made for
	 * somebody else, by when they were asked for (epoch millis).
	 */
	public String tokenRequestsOf(String username) {
		return this.prefix + ":{approvals}:of:" + username.toLowerCase(Locale.ROOT);
	}

	/** ZSET of the pending request ids of a user's tokens by when they were asked for. */
	public String pendingTokenRequestsOf(String username) {
		return this.prefix + ":{approvals}:pending-of:" + username.toLowerCase(Locale.ROOT);
	}

	/** ZSET of every pending request id by when it was asked for. */
	public String pendingTokenRequests() {
		return this.prefix + ":{approvals}:pending";
	}

	/**
	 * STRING: when the notice about a token's use from a network was last claimed (epoch
	 * millis), expiring with the period notices are sent once in.
	 */
	public String newAddressNotice(String tokenId, String network) {
		return this.prefix + ":new-address:" + tokenId + ":" + network;
	}

	/** STRING holding the JSON Web Key set every instance signs exchanged JWTs with. */
	public String signingKeys() {
		return this.prefix + ":jwks";
	}

	/**
	 * STRING holding a Shared Signals receiver's stream (JSON). A stream's keys share the
	 * hash tag of its receiver's client id, so that its scripts run on a Cluster.
	 */
	public String signalStream(String receiver) {
		return this.prefix + ":ssf:{" + receiver + "}:stream";
	}

	/** STREAM of a receiver's undelivered events, fields {@code jti} and {@code set}. */
	public String signalEvents(String receiver) {
		return this.prefix + ":ssf:{" + receiver + "}:sets";
	}

	/** HASH of a receiver's undelivered events: jti to the entry id in its STREAM. */
	public String signalEventIds(String receiver) {
		return this.prefix + ":ssf:{" + receiver + "}:jtis";
	}

	/**
	 * STRING marking a receiver's stream as having lost events (dropped by its cap, or
	 * not kept): it names the {@code stream-updated} notice owed, given before any event
	 * until the receiver acknowledges it. Kept apart from the events so that no cap drops
	 * it.
	 */
	public String signalOverflow(String receiver) {
		return this.prefix + ":ssf:{" + receiver + "}:overflow";
	}

	/** STRING naming the instance that pushes a receiver's events, expiring. */
	public String signalLease(String receiver) {
		return this.prefix + ":ssf:{" + receiver + "}:lease";
	}

	/**
	 * STRING present, expiring, while a receiver may not ask for another verification
	 * event.
	 */
	public String signalVerified(String receiver) {
		return this.prefix + ":ssf:{" + receiver + "}:verified";
	}

}
