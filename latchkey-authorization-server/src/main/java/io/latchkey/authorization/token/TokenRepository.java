package io.latchkey.authorization.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
	 * {@code now}. Returns once the store acknowledged it; false if refused.
	 */
	boolean save(PersonalAccessToken token, Duration retention, int maxLive, Instant now);

	Optional<PersonalAccessToken> findByDigest(String digest);

	/** The owner's tokens, newest first. */
	List<PersonalAccessToken> findByOwner(String owner);

	/** The digest of the owner's token with this id, if the owner has it. */
	Optional<String> findDigest(String owner, String id);

	/** Deletes a token; true if it existed. Returns once the store acknowledged it. */
	boolean delete(String owner, String id, String digest);

	/** Deletes token records whose owner is gone. */
	void deleteRecords(List<String> digests);

	/** Records the token's last use, unless the record is gone meanwhile. */
	void touch(String digest, Instant at, @Nullable String from);

}
