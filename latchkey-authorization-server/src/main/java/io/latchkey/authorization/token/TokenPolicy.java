package io.latchkey.authorization.token;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The token policy ({@code latchkey.tokens.*}): the prefix of this deployment's tokens,
 * default and maximum lifetime, how often "last used" is written (and how often the notes
 * of uses are written in a batch), how long expired tokens stay listed, how many live
 * tokens a user may hold, how long a rotated token keeps working
 * ({@code rotation-overlap}), and what presenting a token rotated away does
 * ({@code rotated-reuse}), and how long a token may go unused before it is revoked
 * ({@code revoke-unused-after}).
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
 * @param revokeUnusedAfter how long a token may go unused (counted from its last use, or
 * from its creation if never used) before it is revoked, once, with reason
 * {@code unused}, after notices at {@code latchkey.notices.unused-stages}; checked at
 * {@code latchkey.notices.check-every}; unset, tokens are never revoked for not being
 * used
 * @param approval which generations of one's own tokens need somebody's approval first
 * (none by default)
 * @since 0.1
 */
public record TokenPolicy(@NotBlank @Pattern(regexp = "[a-z][a-z0-9]{1,9}") @DefaultValue("lkp") String prefix,
		@NotNull @DefaultValue("30d") Duration defaultLifetime, @NotNull @DefaultValue("365d") Duration maxLifetime,
		@NotNull @DefaultValue("1m") Duration lastUsedInterval, @NotNull @DefaultValue("30d") Duration keepExpiredFor,
		@Positive @DefaultValue("100") int maxPerUser, @NotNull @DefaultValue("1s") Duration lastUsedBatchEvery,
		@NotNull @DefaultValue("0s") Duration rotationOverlap, @NotNull @DefaultValue("alert") ReusePolicy rotatedReuse,
		@NotNull @DefaultValue List<String> defaultAudience, @Nullable Duration revokeUnusedAfter,
		@Valid @DefaultValue Approval approval) {

	/**
	 * Approved token requests (GitHub's fine-grained tokens that need approval): a user
	 * generating a token of their own that asks for one of {@code required-for} (named in
	 * its scopes, or held when it names none) or lives longer than {@code lifetime-over}
	 * gets a pending request instead; an approver who holds {@code tokens.manage} and
	 * every right of the requester approves or denies it, and the requester then claims
	 * the token within {@code claim-within}. Both triggers unset (the default): no
	 * generation needs approval.
	 *
	 * @param requiredFor rights a token may carry only with approval
	 * @param lifetimeOver a lifetime beyond which a token needs approval; unset, none
	 * @param claimWithin how long an approved request may be claimed; after that it has
	 * lapsed
	 * @param maxPendingPerUser how many requests a user may have waiting for a decision
	 * @param keepFor how long a request is kept (and listed) after its last change
	 */
	public record Approval(@NotNull @DefaultValue List<String> requiredFor, @Nullable Duration lifetimeOver,
			@NotNull @DefaultValue("24h") Duration claimWithin, @Positive @DefaultValue("10") int maxPendingPerUser,
			@NotNull @DefaultValue("30d") Duration keepFor) {

		/** No approvals at all: the default. */
		public static Approval none() {
			return new Approval(List.of(), null, Duration.ofHours(24), 10, Duration.ofDays(30));
		}

		/** Whether some generation may need approval. */
		public boolean enabled() {
			return !this.requiredFor.isEmpty() || this.lifetimeOver != null;
		}

	}

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
