package io.latchkey.authorization.token;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** Request bodies of the tokens API. */
public final class TokenRequests {

	private TokenRequests() {
	}

	/**
	 * All optional: no expiry means the default lifetime, no scopes means all the owner's
	 * rights, no {@code allowedIps} (CIDR ranges, IPv4 or IPv6) means any client address,
	 * no {@code audience} (resource services' client ids, {@code latchkey-api} for the
	 * management API) means the default audience, no {@code jkt} (the RFC 7638 SHA-256
	 * thumbprint of a public key) means a bearer token rather than one bound to the key.
	 */
	public record Generate(@Size(max = 255) @Nullable String description, @Nullable Instant expiresAt,
			@Size(max = 50) @Nullable List<@NotBlank String> scopes,
			@Size(max = 20) @Nullable List<@NotBlank @Size(max = 64) String> allowedIps,
			@Size(max = 20) @Nullable List<@NotBlank @Size(max = 100) String> audience,
			@Size(max = 64) @Nullable String jkt) {
	}

	/**
	 * Optional: without {@code expiresAt} the new token gets the lifetime the old one had
	 * (within the policy's maximum).
	 */
	public record Rotate(@Nullable Instant expiresAt) {
	}

	/** A leaked token string to revoke wherever it belongs. */
	public record Revoke(@NotBlank @Size(max = 200) String token) {
	}

	/**
	 * The credentials inventory's filters (as {@code GET /api/tokens} takes them, all
	 * optional; {@code state} a list) and how many live tokens the caller saw in that
	 * selection.
	 */
	public record RevokeSelection(@Size(max = 100) @Nullable String owner, @Size(max = 100) @Nullable String createdBy,
			@Size(max = 64) @Nullable String expiringBefore, @Size(max = 64) @Nullable String unusedSince,
			@Size(max = 100) @Nullable String audience, @Size(max = 3) @Nullable List<@Size(max = 20) String> state,
			@NotNull @Min(0) Integer expectedCount) {

		/** The selection it names, or a 400 naming the field at fault. */
		public TokenSelection selection() {
			return TokenSelection.parse(this.owner, this.createdBy, this.expiringBefore, this.unusedSince,
					this.audience, this.state, null);
		}

	}

}
