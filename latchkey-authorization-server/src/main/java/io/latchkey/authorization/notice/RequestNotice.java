package io.latchkey.authorization.notice;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One notice about a token request (never a token value): {@code token.requested} to the
 * approvers, {@code token.request_approved} or {@code token.request_denied} to the
 * requester. It names the request, its requester, the description and rights asked for,
 * why it needs approval, who decided and why, until when an approved request may be
 * claimed, and the e-mail addresses it goes to.
 *
 * @param type {@code token.requested}, {@code token.request_approved} or
 * {@code token.request_denied}
 * @param requestId the request's id
 * @param requester who asked
 * @param description the token's description, if any
 * @param rights the rights the token would carry (empty: all the requester's)
 * @param because why it needs approval
 * @param decidedBy who decided, if decided
 * @param reason the approver's reason, if any
 * @param claimBy until when an approved request may be claimed
 * @param recipients the e-mail addresses it goes to
 */
public record RequestNotice(String type, String requestId, String requester, @Nullable String description,
		Set<String> rights, List<String> because, @Nullable String decidedBy, @Nullable String reason,
		@Nullable Instant claimBy, List<String> recipients) {

	/** The notice to the approvers of a new request. */
	public static final String REQUESTED = "token.requested";

	/** The notice to the requester of an approval. */
	public static final String APPROVED = "token.request_approved";

	/** The notice to the requester of a denial. */
	public static final String DENIED = "token.request_denied";

	public RequestNotice {
		rights = Set.copyOf(rights);
		because = List.copyOf(because);
		recipients = List.copyOf(recipients);
	}

	/** One line saying what happened, for a subject line. */
	public String headline() {
		String name = (this.description != null) ? " \"" + this.description.replaceAll("\\p{Cntrl}", " ") + "\"" : "";
		return switch (this.type) {
			case APPROVED -> "Your access token request" + name + " was approved";
			case DENIED -> "Your access token request" + name + " was denied";
			default -> "Access token request" + name + " by " + this.requester + " awaits approval";
		};
	}

}
