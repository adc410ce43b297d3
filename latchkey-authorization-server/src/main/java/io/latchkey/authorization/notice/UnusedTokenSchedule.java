package io.latchkey.authorization.notice;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the pass over idle tokens reads every token's last use, and claims each step of
 * an idle token's way out (a notice stage, the revocation) once across every instance. A
 * claim holds only while the token is as the pass read it: not rotated, and not used
 * since; a use resets the clock and starts a new round of claims.
 *
 * @since 0.1
 */
public interface UnusedTokenSchedule {

	/**
	 * Every owner whose tokens the pass reads.
	 * @return canonical usernames
	 */
	List<String> owners();

	/**
	 * The clocks of these owners' tokens that still work at {@code now}, read in as few
	 * round trips as the store can.
	 * @param owners canonical usernames
	 * @param now the time
	 * @return one clock per token
	 */
	List<IdleClock> clocks(List<String> owners, Instant now);

	/**
	 * Claims one step of an idle token's way out, once across every instance: the notice
	 * of a stage, or (stage 0) its revocation. Refused if the token is gone, rotated,
	 * used since {@code token} was read, or this step or a later one of the same round
	 * was claimed (a claimed revocation may be claimed again once {@code holdFor} passed,
	 * should its claimer have died midway).
	 * @param token the token's clock as read
	 * @param stageMillis how long before the revocation the notice goes out, in
	 * milliseconds; 0 for the revocation
	 * @param now the time
	 * @param holdForMillis how long a claimed revocation is held, in milliseconds
	 * @return empty if not claimed; otherwise the claim held before ({@code ""} if none),
	 * to hand back to {@link #release} should the step fail
	 */
	Optional<String> claim(IdleClock token, long stageMillis, Instant now, long holdForMillis);

	/**
	 * Undoes a claim whose step failed, so that the next run tries again.
	 * @param digest the token's digest
	 * @param previous what {@link #claim} answered
	 */
	void release(String digest, String previous);

}
