package io.latchkey.authorization.approval;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A request for a token that needs approval, as it is stored: what was asked for (the
 * generate body, with its scopes), the rights it may carry once approved ({@code rights}:
 * the scopes named, or the rights the owner held when it named none), why it needs
 * approval, and what became of it. It never holds a token value: the token exists only
 * once whoever asked for it ({@code requestedBy}: its owner, or the manager who asked for
 * somebody else's token) claims it.
 *
 * @param id the request's id
 * @param owner who owns the token
 * @param requestedBy who asked for it and alone may claim it: the owner, or a manager
 * asking for somebody else's token
 * @param description the token's description
 * @param expiresAt the expiry asked for, or {@code null} for the default lifetime
 * @param scopes the scopes named (empty: all the requester's rights)
 * @param allowedIps the allowlist asked for
 * @param audience the audience asked for ({@code null}: the default)
 * @param jkt the key thumbprint asked for
 * @param rights the rights the token may carry once approved
 * @param because why it needs approval
 * @param state {@code pending}, {@code approved}, {@code denied} or {@code claimed}
 * @param requestedAt when it was asked for
 * @param decidedBy who approved or denied it
 * @param decidedAt when
 * @param reason the approver's reason
 * @param claimBy until when an approved request may be claimed
 * @param claimedAt when it was claimed
 * @param tokenId the id of the token its claim generated
 */
public record TokenRequest(String id, String owner, String requestedBy, @Nullable String description,
		@Nullable Instant expiresAt, Set<String> scopes, List<String> allowedIps, @Nullable List<String> audience,
		@Nullable String jkt, Set<String> rights, List<String> because, String state, Instant requestedAt,
		@Nullable String decidedBy, @Nullable Instant decidedAt, @Nullable String reason, @Nullable Instant claimBy,
		@Nullable Instant claimedAt, @Nullable String tokenId) {

	/** Waiting for a decision. */
	public static final String PENDING = "pending";

	/** Approved: its requester may claim the token until {@code claimBy}. */
	public static final String APPROVED = "approved";

	/** Denied: no token. */
	public static final String DENIED = "denied";

	/** Claimed: the token was generated, once. */
	public static final String CLAIMED = "claimed";

	/** Approved but not claimed in time: no token. */
	public static final String LAPSED = "lapsed";

	public TokenRequest {
		scopes = Set.copyOf(scopes);
		allowedIps = List.copyOf(allowedIps);
		audience = (audience != null) ? List.copyOf(audience) : null;
		rights = Set.copyOf(rights);
		because = List.copyOf(because);
	}

	/** Whether somebody asked for another user's token. */
	public boolean forSomebodyElse() {
		return !this.owner.equalsIgnoreCase(this.requestedBy);
	}

	/**
	 * The state as its requester sees it at {@code now}: {@code lapsed} once an approved
	 * request's claim window has passed.
	 */
	public String stateAt(Instant now) {
		if (APPROVED.equals(this.state) && this.claimBy != null && !now.isBefore(this.claimBy)) {
			return LAPSED;
		}
		return this.state;
	}

}
