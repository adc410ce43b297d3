package io.latchkey.authorization.token;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The token policy ({@code latchkey.tokens.*}): the prefix of this deployment's tokens,
 * default and maximum lifetime, how often "last used" is written (and how often the notes
 * of uses are written in a batch), how long expired tokens stay listed, how many live
 * tokens a user may hold, how long a rotated token keeps working
 * ({@code rotation-overlap}), and what presenting a token rotated away does
 * ({@code rotated-reuse}).
 *
 * @param prefix the prefix of this deployment's tokens, 2 to 10 lower-case letters and
 * digits
 * @param defaultLifetime the lifetime of a token whose request gives no expiry
 * @param maxLifetime the latest expiry allowed, from now
 * @param lastUsedInterval at most one "last used" write per token per interval, across
 * instances
 * @param keepExpiredFor how long expired tokens stay listed
 * @param maxPerUser how many live (unexpired) tokens a user may hold
 * @param lastUsedBatchEvery how often the uses noted in memory are written, in one batch,
 * off the request thread
 * @param rotationOverlap how long a rotated token keeps working
 * @param rotatedReuse what presenting a token rotated away does: {@code alert} (an audit
 * record) or {@code revoke-family} (also revoke every token of its rotation chain)
 * @param defaultAudience the services (client ids; {@code latchkey-api} is the management
 * API) where a token generated without an {@code audience} works; empty: any service
 * @since 0.1
 */
public record TokenPolicy(@NotBlank @Pattern(regexp = "[a-z][a-z0-9]{1,9}") @DefaultValue("lkp") String prefix,
		@NotNull @DefaultValue("30d") Duration defaultLifetime, @NotNull @DefaultValue("365d") Duration maxLifetime,
		@NotNull @DefaultValue("1m") Duration lastUsedInterval, @NotNull @DefaultValue("30d") Duration keepExpiredFor,
		@Positive @DefaultValue("100") int maxPerUser, @NotNull @DefaultValue("1s") Duration lastUsedBatchEvery,
		@NotNull @DefaultValue("0s") Duration rotationOverlap, @NotNull @DefaultValue("alert") ReusePolicy rotatedReuse,
		@NotNull @DefaultValue List<String> defaultAudience) {

	/**
	 * What presenting a token that was rotated away (after its overlap) does besides
	 * failing.
	 */
	public enum ReusePolicy {

		/** An audit event ({@code token.reuse_detected}) and nothing else. */
		ALERT,

		/**
		 * The audit event, and every token of the rotation chain is revoked (it may be
		 * stolen).
		 */
		REVOKE_FAMILY

	}

}
