package io.latchkey.authorization.token;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/** Response bodies of the tokens API. */
public final class TokenViews {

	private TokenViews() {
	}

	/** The answer to a generate request: the only time the full token string is shown. */
	public record Created(String id, String token, String hint, @Nullable String description, Set<String> scopes,
			@Nullable Set<String> ceiling, List<String> allowedIps, Instant createdAt, String createdBy,
			Instant expiresAt, @Nullable String rotatedFrom, @Nullable Set<String> audience, @Nullable String jkt) {
	}

	/**
	 * A token in a list: only partly visible. {@code status} is {@code active},
	 * {@code expired}, {@code rotated} (a rotated token may still work until
	 * {@code retiresAt}, its overlap) or {@code revoked} ({@code revokedAt},
	 * {@code revokedBy} and {@code revocationReason}, a {@link RevocationReason} value,
	 * say when, by whom and why; a revoked token stays listed until it would have left
	 * the list as an expired one); {@code recentUses} are its last distinct client
	 * addresses, newest first; {@code ceiling} is what a token made for somebody else can
	 * never exceed ({@code null}: made by its owner); {@code audience} the services it
	 * works at ({@code null}: any service); {@code jkt} the thumbprint of the key it is
	 * bound to ({@code null}: a bearer token).
	 */
	public record Listed(String id, String hint, @Nullable String description, Set<String> scopes,
			@Nullable Set<String> ceiling, List<String> allowedIps, Instant createdAt, String createdBy,
			Instant expiresAt, boolean expired, String status, @Nullable Instant lastUsedAt,
			@Nullable String lastUsedFrom, List<PersonalAccessToken.Use> recentUses, @Nullable String rotatedTo,
			@Nullable Instant retiresAt, @Nullable Set<String> audience, @Nullable String jkt,
			@Nullable Instant revokedAt, @Nullable String revokedBy, @Nullable String revocationReason) {
	}

	/**
	 * A token in the credentials inventory: its owner, then the token as {@link Listed
	 * lists} show it, field for field.
	 */
	public record Inventoried(String owner, String id, String hint, @Nullable String description, Set<String> scopes,
			@Nullable Set<String> ceiling, List<String> allowedIps, Instant createdAt, String createdBy,
			Instant expiresAt, boolean expired, String status, @Nullable Instant lastUsedAt,
			@Nullable String lastUsedFrom, List<PersonalAccessToken.Use> recentUses, @Nullable String rotatedTo,
			@Nullable Instant retiresAt, @Nullable Set<String> audience, @Nullable String jkt,
			@Nullable Instant revokedAt, @Nullable String revokedBy, @Nullable String revocationReason) {

		/** The listed token with its owner. */
		public static Inventoried of(String owner, Listed token) {
			return new Inventoried(owner, token.id(), token.hint(), token.description(), token.scopes(),
					token.ceiling(), token.allowedIps(), token.createdAt(), token.createdBy(), token.expiresAt(),
					token.expired(), token.status(), token.lastUsedAt(), token.lastUsedFrom(), token.recentUses(),
					token.rotatedTo(), token.retiresAt(), token.audience(), token.jkt(), token.revokedAt(),
					token.revokedBy(), token.revocationReason());
		}

	}

}
