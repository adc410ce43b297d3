package io.latchkey.authorization.approval;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.latchkey.authorization.token.TokenViews;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** Request and response bodies of token requests. */
public final class TokenRequestViews {

	private TokenRequestViews() {
	}

	/**
	 * An approver's decision: why (required to deny; at most 500 characters).
	 *
	 * @param reason why
	 */
	public record Decision(@Size(max = 500) @Nullable String reason) {
	}

	/**
	 * A token request as its owner, whoever asked for it and its approvers see it: never
	 * a token value. {@code requester} owns the token; {@code requestedBy} asked for it
	 * (the owner, or a manager asking for somebody else's token) and alone may claim it.
	 * {@code state} is {@code pending}, {@code approved}, {@code denied}, {@code claimed}
	 * or {@code lapsed} (approved, not claimed by {@code claimBy}); {@code rights} are
	 * what the token may carry once approved, {@code because} why it needs approval,
	 * {@code tokenId} the token its claim generated.
	 */
	public record ListedRequest(String id, String requester, String requestedBy, @Nullable String description,
			@Nullable Instant expiresAt, Set<String> scopes, Set<String> rights, List<String> because, String state,
			Instant requestedAt, @Nullable String decidedBy, @Nullable Instant decidedAt, @Nullable String reason,
			@Nullable Instant claimBy, @Nullable Instant claimedAt, @Nullable String tokenId) {

		static ListedRequest of(TokenRequest request, Instant now) {
			return new ListedRequest(request.id(), request.owner(), request.requestedBy(), request.description(),
					request.expiresAt(), request.scopes(), request.rights(), request.because(), request.stateAt(now),
					request.requestedAt(), request.decidedBy(), request.decidedAt(), request.reason(),
					request.claimBy(), request.claimedAt(), request.tokenId());
		}

	}

	/**
	 * What generating a token answers: the token, or the request filed because it needs
	 * approval.
	 *
	 * @param token the token, when none was needed
	 * @param request the request, when approval is needed
	 */
	public record Generated(TokenViews.@Nullable Created token, @Nullable ListedRequest request) {
	}

}
