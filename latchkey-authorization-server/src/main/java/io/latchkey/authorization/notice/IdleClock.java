package io.latchkey.authorization.notice;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the pass over idle tokens reads of each token: whose it is, when it was made and
 * last used, when it expires, and whether it was rotated away. Never its value.
 *
 * @param owner the owner's canonical username
 * @param id the token's id
 * @param digest the token's digest
 * @param createdAt when it was made
 * @param lastUsedAt when it was last used ({@code null}: never)
 * @param expiresAt when it expires
 * @param rotated whether it was rotated into a successor
 * @since 0.1
 */
public record IdleClock(String owner, String id, String digest, Instant createdAt, @Nullable Instant lastUsedAt,
		Instant expiresAt, boolean rotated) {

	/** Since when it has been unused: its last use, or its creation if never used. */
	public Instant idleSince() {
		return (this.lastUsedAt != null) ? this.lastUsedAt : this.createdAt;
	}

	/**
	 * When it is revoked if nobody uses it.
	 * @param revokeUnusedAfter {@code latchkey.tokens.revoke-unused-after}
	 * @return the time
	 */
	public Instant revokesAt(Duration revokeUnusedAfter) {
		return idleSince().plus(revokeUnusedAfter);
	}

}
