package io.latchkey.authorization.notice;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When each token's next expiry notice is due, and which notices were sent, once across
 * every instance. A token is put on the schedule when its record is saved (its first
 * notice due some time before its expiry) and taken off when its last notice was sent or
 * it is gone.
 *
 * @since 0.1
 */
public interface ExpiryNoticeSchedule {

	/**
	 * Digests of tokens whose next expiry notice is due, earliest first.
	 * @param now the time
	 * @param limit the most digests answered
	 * @return the digests
	 */
	List<String> noticesDue(Instant now, int limit);

	/**
	 * When the token's next expiry notice (or the next try of a failed one) is due.
	 * @param digest the token's digest
	 * @param dueAt when
	 */
	void scheduleNotice(String digest, Instant dueAt);

	/**
	 * Takes a token off the schedule (its last notice was sent, or it is gone).
	 * @param digest the token's digest
	 */
	void unschedule(String digest);

	/**
	 * Claims the expiry notice of {@code stage} for a token, once across every instance.
	 * @param digest the token's digest
	 * @param stage days before expiry, 0 at expiry
	 * @return empty if this stage or a later one was already claimed (or the token is
	 * gone); otherwise the stage claimed before ({@code ""} if none), to hand back to
	 * {@link #releaseNotice} should sending fail
	 */
	Optional<String> claimNotice(String digest, int stage);

	/**
	 * Undoes a claim whose notice could not be sent, so that the next run tries again.
	 * @param digest the token's digest
	 * @param previous what {@link #claimNotice} answered
	 */
	void releaseNotice(String digest, String previous);

}
