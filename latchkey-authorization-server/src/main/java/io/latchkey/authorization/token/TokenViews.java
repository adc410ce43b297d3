package io.latchkey.authorization.token;

import java.time.Instant;
import java.util.Set;

/** Response bodies of the tokens API. */
public final class TokenViews {

	private TokenViews() {
	}

	/** The answer to a generate request: the only time the full token string is shown. */
	public record Created(String id, String token, String hint, String description, Set<String> scopes,
			Instant createdAt, String createdBy, Instant expiresAt) {
	}

	/** A token in a list: only partly visible. */
	public record Listed(String id, String hint, String description, Set<String> scopes, Instant createdAt,
			String createdBy, Instant expiresAt, boolean expired, Instant lastUsedAt, String lastUsedFrom) {
	}

}
