package io.latchkey.authorization.approval;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where token requests are kept, for a bounded time. Each change of state is one atomic
 * step across instances: a request is decided once, and claimed once.
 *
 * @since 0.1
 */
public interface TokenRequestStore {

	/**
	 * Saves a new pending request, unless its owner already has {@code maxPending}
	 * requests waiting.
	 * @param request the request
	 * @param maxPending how many pending requests a requester may have
	 * @param keepFor how long it is kept
	 * @return whether it was saved
	 */
	boolean create(TokenRequest request, int maxPending, Duration keepFor);

	/** The request, if it is still kept. */
	Optional<TokenRequest> find(String id);

	/**
	 * The user's requests still kept, newest first: for their own tokens, and those they
	 * asked for somebody else.
	 */
	List<TokenRequest> of(String username);

	/** Every pending request, oldest first, at most {@code limit}. */
	List<TokenRequest> pending(Instant now, Duration keepFor, int limit);

	/**
	 * Approves or denies a pending request.
	 * @param request the request, as read
	 * @param state {@code approved} or {@code denied}
	 * @param decidedBy who decides
	 * @param reason why
	 * @param at when
	 * @param claimBy until when an approved request may be claimed
	 * @param keepFor how long it is kept from now
	 * @return the state it had: {@code pending} if this decided it, empty if it is gone
	 */
	Optional<String> decide(TokenRequest request, String state, String decidedBy, String reason, Instant at,
			Instant claimBy, Duration keepFor);

	/**
	 * Claims an approved request made by {@code requestedBy} whose window is open at
	 * {@code now}.
	 * @return the state it had ({@code approved} if this claimed it; {@code lapsed} if
	 * its window has passed), empty if there is no such request made by that user
	 */
	Optional<String> claim(String id, String requestedBy, Instant now);

	/** Records the token a claim generated. */
	void claimed(String id, String tokenId);

	/** Undoes a claim that generated no token, so that it may be claimed again. */
	void unclaim(String id);

}
