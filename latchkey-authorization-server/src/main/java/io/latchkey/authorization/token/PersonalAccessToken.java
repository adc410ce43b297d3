package io.latchkey.authorization.token;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A stored personal access token. The token string itself is never stored: {@code digest} is
 * its SHA-256 and {@code hint} the part that lists may show. An empty {@code scopes} means no
 * narrowing: the token carries all of its owner's current rights. An empty {@code allowedIps}
 * means any client address. A rotated token names its successor ({@code rotatedTo}) and stops
 * working at {@code retiresAt} (the rotation, or the end of its overlap); every token of one
 * rotation chain shares its {@code family} (the id of the chain's first token).
 * {@code recentUses} holds the last distinct client addresses it was used from, newest first.
 */
public record PersonalAccessToken(String id, String digest, String hint, String owner, String ownerUid,
		@Nullable String description, Set<String> scopes, Instant createdAt, String createdBy, Instant expiresAt,
		@Nullable Instant lastUsedAt, @Nullable String lastUsedFrom, String family, List<String> allowedIps,
		@Nullable String rotatedTo, @Nullable Instant retiresAt, List<Use> recentUses) {

	/** How many distinct client addresses a token remembers. */
	public static final int RECENT_USES = 5;

	public PersonalAccessToken {
		scopes = Set.copyOf(scopes);
		allowedIps = List.copyOf(allowedIps);
		recentUses = List.copyOf(recentUses);
	}

	/** A new token: never used, never rotated. */
	public static PersonalAccessToken created(String id, String digest, String hint, String owner, String ownerUid,
			@Nullable String description, Set<String> scopes, Instant createdAt, String createdBy, Instant expiresAt,
			String family, List<String> allowedIps) {
		return new PersonalAccessToken(id, digest, hint, owner, ownerUid, description, scopes, createdAt, createdBy,
				expiresAt, null, null, family, allowedIps, null, null, List.of());
	}

	/** When it stops working: its expiry, or earlier once it was rotated. */
	public Instant endsAt() {
		return (this.retiresAt != null && this.retiresAt.isBefore(this.expiresAt)) ? this.retiresAt : this.expiresAt;
	}

	public boolean isExpiredAt(Instant now) {
		return !now.isBefore(this.expiresAt);
	}

	/** Whether it was rotated away and its overlap, if any, is over at {@code now}. */
	public boolean isRetiredAt(Instant now) {
		return this.retiresAt != null && !now.isBefore(this.retiresAt);
	}

	/** Whether it works at {@code now}, as far as the record alone says (its owner is checked apart). */
	public boolean isLiveAt(Instant now) {
		return now.isBefore(endsAt());
	}

	/** A use of the token from a client address. */
	public record Use(String address, Instant at) {
	}

}
