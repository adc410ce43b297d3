package io.latchkey.authorization.token;

import java.time.Instant;

import org.springframework.util.Assert;

/**
 * What lists keep of a revoked token until it would have expired (plus the time expired
 * tokens stay listed): its record as it was, without its digest, and when, by whom and
 * why it was revoked. Nothing here verifies a token: its record is gone.
 *
 * @param token the token's record when it was revoked; its digest is empty
 * @param revokedAt when it was revoked
 * @param revokedBy who revoked it ({@code system} for the schedule)
 * @param reason why
 * @since 0.1
 */
public record RevokedToken(PersonalAccessToken token, Instant revokedAt, String revokedBy, RevocationReason reason) {

	public RevokedToken {
		Assert.notNull(token, "token cannot be null");
		Assert.notNull(revokedAt, "revokedAt cannot be null");
		Assert.notNull(revokedBy, "revokedBy cannot be null");
		Assert.notNull(reason, "reason cannot be null");
	}

}
