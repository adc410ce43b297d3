package io.latchkey.authorization.notice;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the pass over idle tokens reads of each token: whose it is, when it was made and
 * last used, when it expires, whether it was rotated away, and the last step of its way
 * out claimed in this round (since its last use). Never its value.
 *
 * @param owner the owner's canonical username
 * @param id the token's id
 * @param digest the token's digest
 * @param createdAt when it was made
 * @param lastUsedAt when it was last used ({@code null}: never)
 * @param expiresAt when it expires
 * @param rotated whether it was rotated into a successor
 * @param claimed the last step claimed since {@link #idleSince()} ({@code null}: none)
 * @since 0.1
 */
public record IdleClock(String owner, String id, String digest, Instant createdAt, @Nullable Instant lastUsedAt,
		Instant expiresAt, boolean rotated, @Nullable Step claimed) {

	/**
	 * A token's clock with no step claimed in this round.
	 * @param owner the owner's canonical username
	 * @param id the token's id
	 * @param digest the token's digest
	 * @param createdAt when it was made
	 * @param lastUsedAt when it was last used ({@code null}: never)
	 * @param expiresAt when it expires
	 * @param rotated whether it was rotated into a successor
	 */
	public IdleClock(String owner, String id, String digest, Instant createdAt, @Nullable Instant lastUsedAt,
			Instant expiresAt, boolean rotated) {
		this(owner, id, digest, createdAt, lastUsedAt, expiresAt, rotated, null);
	}

	/** Since when it has been unused: its last use, or its creation if never used. */
	public Instant idleSince() {
		return (this.lastUsedAt != null) ? this.lastUsedAt : this.createdAt;
	}

	/**
	 * When it is revoked if nobody uses it, at the earliest (its owner is told before).
	 * @param revokeUnusedAfter {@code latchkey.tokens.revoke-unused-after}
	 * @return the time
	 */
	public Instant revokesAt(Duration revokeUnusedAfter) {
		return idleSince().plus(revokeUnusedAfter);
	}

	/**
	 * One step of an idle token's way out, claimed.
	 *
	 * @param before the stage of a notice (how long before the revocation), or
	 * {@link Duration#ZERO} for the revocation
	 * @param at when it was claimed
	 */
	public record Step(Duration before, Instant at) {

	}

}
