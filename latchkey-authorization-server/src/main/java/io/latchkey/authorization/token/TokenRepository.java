package io.latchkey.authorization.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Where token records live, found from the token alone through its digest. The token string
 * itself is never stored.
 */
public interface TokenRepository {

	/**
	 * Stores a token record kept for {@code retention} (its lifetime plus the time expired tokens
	 * stay listed), unless its owner already holds {@code maxLive} tokens unexpired at
	 * {@code now}, and schedules its expiry notices. Returns once the store acknowledged it;
	 * false if refused.
	 */
	boolean save(PersonalAccessToken token, Duration retention, int maxLive, Instant now);

	Optional<PersonalAccessToken> findByDigest(String digest);

	/** The owner's tokens, newest first. */
	List<PersonalAccessToken> findByOwner(String owner);

	/** The digest of the owner's token with this id, if the owner has it. */
	Optional<String> findDigest(String owner, String id);

	/**
	 * Deletes a token; says whether it existed and, read in the same step, the successor it was
	 * rotated into (so that a rotation racing the deletion is never missed). Returns once the
	 * store acknowledged it.
	 */
	Deletion delete(String owner, String id, String digest);

	/** Deletes token records whose owner is gone. */
	void deleteRecords(List<String> digests);

	/**
	 * Marks a token as rotated to {@code successorId}, once: it stops working at
	 * {@code retiresAt}, no longer counts among its owner's live tokens after that, and gets no
	 * expiry notices.
	 */
	Rotation markRotated(PersonalAccessToken token, String successorId, Instant retiresAt, Instant now);

	/** Ends a rotated token's overlap at {@code at} (unless it ends sooner); true if its end moved. */
	boolean retire(PersonalAccessToken token, Instant at);

	/**
	 * Records the tokens' uses, each unless its record is gone meanwhile or already holds a use
	 * less than {@code interval} older (another instance wrote it).
	 */
	void touchAll(List<LastUseRecorder.LastUse> uses, Duration interval);

	/**
	 * Digests of tokens whose next expiry notice is due at {@code now}, earliest first, at most
	 * {@code limit}. A token is scheduled when saved (its first notice due some time before its
	 * expiry, as the store was told) and rescheduled by {@link #scheduleNotice}.
	 */
	List<String> noticesDue(Instant now, int limit);

	/** When the token's next expiry notice (or the next try of a failed one) is due. */
	void scheduleNotice(String digest, Instant dueAt);

	/** Takes a token off the notice schedule (its last notice was sent, or it is gone). */
	void unschedule(String digest);

	/**
	 * For each of these owners that has any, how many of its tokens (not rotated away) expire
	 * between {@code from} and {@code until}; read from the owners' indexes.
	 */
	Map<String, Integer> expiringBetween(List<String> owners, Instant from, Instant until);

	/**
	 * Claims the expiry notice of {@code stage} (days before expiry, 0 at expiry) for a token,
	 * once across every instance: empty if this stage or a later one was already claimed (or
	 * the token is gone); otherwise the stage claimed before ({@code ""} if none), to hand back to
	 * {@link #releaseNotice} should sending fail.
	 */
	Optional<String> claimNotice(String digest, int stage);

	/** Undoes a claim whose notice could not be sent, so that the next run tries again. */
	void releaseNotice(String digest, String previous);

	/**
	 * The result of {@link #delete}: whether the record existed, and the id of the token it had
	 * been rotated into, if any.
	 */
	record Deletion(boolean existed, @Nullable String rotatedTo) {
	}

	/** The result of {@link #markRotated}. */
	enum Rotation {

		ROTATED, ALREADY_ROTATED, GONE

	}

	/** The records of these digests that still exist, in one round trip where the store can. */
	default List<PersonalAccessToken> findAll(List<String> digests) {
		return digests.stream().map(this::findByDigest).flatMap(Optional::stream).toList();
	}

}
