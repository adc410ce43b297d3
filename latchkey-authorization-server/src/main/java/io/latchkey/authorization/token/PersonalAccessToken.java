package io.latchkey.authorization.token;

import java.time.Instant;
import java.util.Set;

/**
 * A stored personal access token. The token string itself is never stored: {@code digest} is
 * its SHA-256 and {@code hint} the part that lists may show. An empty {@code scopes} means no
 * narrowing: the token carries all of its owner's current rights.
 */
public record PersonalAccessToken(String id, String digest, String hint, String owner, String ownerUid,
		String description, Set<String> scopes, Instant createdAt, String createdBy, Instant expiresAt,
		Instant lastUsedAt, String lastUsedFrom) {

	public PersonalAccessToken {
		scopes = Set.copyOf(scopes);
	}

	public boolean isExpiredAt(Instant now) {
		return !now.isBefore(this.expiresAt);
	}

}
