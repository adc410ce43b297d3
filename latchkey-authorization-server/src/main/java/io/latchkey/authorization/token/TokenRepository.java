package io.latchkey.authorization.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Where token records live, found from the token alone through its digest. The token
 * string itself is never stored. Latchkey's is in Redis; an application may declare its
 * own. The schedule of expiry notices is apart ({@code ExpiryNoticeSchedule}).
 *
 * @since 0.1
 */
public interface TokenRepository {

	/** The most revoked tokens one owner's list keeps. */
	int KEEP_REVOKED = 200;

	/**
	 * Stores a token record kept for {@code retention} (its lifetime plus the time
	 * expired tokens stay listed), unless its owner already holds {@code maxLive} tokens
	 * unexpired at {@code now}, and schedules its expiry notices. Returns once the store
	 * acknowledged it.
	 * @param token the new token's record
	 * @param retention how long the record is kept
	 * @param maxLive the most live tokens its owner may hold
	 * @param now the time
	 * @return false if refused: the owner holds {@code maxLive} already
	 */
	boolean save(PersonalAccessToken token, Duration retention, int maxLive, Instant now);

	/**
	 * The record of the token with this digest.
	 * @param digest the token's SHA-256
	 * @return the record, or empty
	 */
	Optional<PersonalAccessToken> findByDigest(String digest);

	/**
	 * The owner's tokens, newest first.
	 * @param owner the canonical username
	 * @return its tokens
	 */
	List<PersonalAccessToken> findByOwner(String owner);

	/**
	 * The digest of the owner's token with this id.
	 * @param owner the canonical username
	 * @param id the token's id
	 * @return its digest, or empty if the owner has no such token
	 */
	Optional<String> findDigest(String owner, String id);

	/**
	 * Deletes a token; says whether it existed and, read in the same step, the successor
	 * it was rotated into (so that a rotation racing the deletion is never missed).
	 * Returns once the store acknowledged it.
	 * @param owner the canonical username
	 * @param id the token's id
	 * @param digest the token's digest
	 * @return whether it existed, and its successor
	 */
	Deletion delete(String owner, String id, String digest);

	/**
	 * Deletes token records whose owner is gone.
	 * @param digests the tokens' digests
	 */
	void deleteRecords(List<String> digests);

	/**
	 * Marks a token as rotated to {@code successorId}, once: it stops working at
	 * {@code retiresAt}, no longer counts among its owner's live tokens after that, and
	 * gets no expiry notices.
	 * @param token the token rotated
	 * @param successorId the id of the token it was rotated into
	 * @param retiresAt when it stops working
	 * @param now the time
	 * @return whether it was rotated, already rotated, or gone
	 */
	Rotation markRotated(PersonalAccessToken token, String successorId, Instant retiresAt, Instant now);

	/**
	 * Ends a rotated token's overlap at {@code at} (unless it ends sooner).
	 * @param token a rotated token
	 * @param at when it stops working
	 * @return true if its end moved
	 */
	boolean retire(PersonalAccessToken token, Instant at);

	/**
	 * Records the tokens' uses, each unless its record is gone meanwhile or already holds
	 * a use less than {@code interval} older (another instance wrote it). Answers,
	 * atomically with each write, which uses came from an address that was not among the
	 * token's recent ones, so that exactly one use (on one instance) finds an address
	 * unseen.
	 * @param uses the uses, oldest first
	 * @param interval how often a token's use is written at most
	 * @return the uses whose client address was not among the token's recent addresses,
	 * each with the addresses that were (newest first; empty if none), in the order given
	 */
	Map<LastUse, List<String>> touchAll(List<LastUse> uses, Duration interval);

	/**
	 * For each of these owners that has any, how many of its tokens (not rotated away)
	 * expire between {@code from} and {@code until}; read from the owners' indexes.
	 * @param owners canonical usernames
	 * @param from the start, inclusive
	 * @param until the end, exclusive
	 * @return counts by username
	 */
	Map<String, Integer> expiringBetween(List<String> owners, Instant from, Instant until);

	/**
	 * For each of these owners that has any, how many of its tokens are live at
	 * {@code now}: neither expired nor revoked (a rotated token counts until it retires);
	 * read from the owners' indexes, like {@link #expiringBetween}, whose entries end
	 * when their tokens stop working.
	 * @param owners canonical usernames
	 * @param now the time
	 * @return counts by username
	 */
	default Map<String, Integer> liveCounts(List<String> owners, Instant now) {
		return expiringBetween(owners, now.plusMillis(1), Instant.ofEpochMilli(Long.MAX_VALUE));
	}

	/**
	 * Keeps what the owner's list shows of a revoked token until {@code dropAt}; an owner
	 * keeps {@link #KEEP_REVOKED} such listings at most, those that drop soonest go
	 * first. A store that keeps none lists revoked tokens no more (their records are gone
	 * either way).
	 * @param revoked the token as it was, and its revocation
	 * @param dropAt when it leaves the list
	 * @param now the time
	 */
	default void saveRevoked(RevokedToken revoked, Instant dropAt, Instant now) {
	}

	/**
	 * The owner's revoked tokens still listed at {@code now}.
	 * @param owner the canonical username
	 * @param now the time
	 * @return the revoked tokens, in no order
	 */
	default List<RevokedToken> findRevoked(String owner, Instant now) {
		return List.of();
	}

	/**
	 * The result of {@link #delete}: whether the record existed, and the id of the token
	 * it had been rotated into, if any.
	 *
	 * @param existed whether the record existed
	 * @param rotatedTo the id of its successor, if it was rotated
	 */
	record Deletion(boolean existed, @Nullable String rotatedTo) {
	}

	/** The result of {@link #markRotated}. */
	enum Rotation {

		/** The token was marked rotated now. */
		ROTATED,

		/** The token had been rotated already: nothing changed. */
		ALREADY_ROTATED,

		/** The token is gone or expired: nothing changed. */
		GONE

	}

	/**
	 * The records of these digests that still exist, in one round trip where the store
	 * can.
	 * @param digests the tokens' digests
	 * @return the records found
	 */
	default List<PersonalAccessToken> findAll(List<String> digests) {
		return digests.stream().map(this::findByDigest).flatMap(Optional::stream).toList();
	}

}
