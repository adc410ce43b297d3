package io.latchkey.authorization.token;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request bodies of the tokens API. */
public final class TokenRequests {

	private TokenRequests() {
	}

	/** All optional: no expiry means the default lifetime, no scopes means all the owner's rights. */
	public record Generate(@Size(max = 255) String description, Instant expiresAt,
			@Size(max = 50) List<@NotBlank String> scopes) {
	}

	/** A leaked token string to revoke wherever it belongs. */
	public record Revoke(@NotBlank @Size(max = 200) String token) {
	}

}
