package io.latchkey.authorization.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.core.cache.EventDrivenCache;
import io.latchkey.core.cache.GenerationalCache;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Keeps what the hot verification path read from the store, so that a hot token costs no
 * round trip: token records by digest (never past the token's {@code exp} nor a maximum
 * age), and owners' states by username (enabled ones only, for the maximum age). The
 * events drop what they make stale by the rule of {@link EventDrivenCache} (every
 * instance subscribes): a token event its record, a user or group event the users' states
 * and token records. A value read while any drop happened is not kept: it may predate the
 * change that caused the drop.
 * <p>
 * It serves only while events can reach it: it starts suspended, is {@link #resume
 * resumed} once the subscription is confirmed, and is {@link #suspend suspended} (and
 * emptied) as soon as a connection to the store drops. Its store is the one that holds
 * the truth, so while that store is away there is nothing to serve: a store outage
 * answers 503, never a cached "active".
 * <p>
 * It counts its {@link #hits() hits}, its {@link #misses() misses} (reads from the store,
 * suspended or not) and the {@link #timeSuspended() time it spent suspended}, for
 * metrics.
 *
 * @since 0.1
 */
public final class VerificationCache implements EventDrivenCache {

	private final GenerationalCache<PersonalAccessToken> tokens;

	private final GenerationalCache<OwnerState> owners;

	private final Duration maxAge;

	private final Clock clock;

	private volatile boolean live;

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private Duration suspendedBefore = Duration.ZERO;

	private @Nullable Instant suspendedSince;

	/**
	 * @param maxSize the most token records kept, and the most owners' states
	 * @param maxAge the longest anything is kept
	 * @param clock the clock entries expire by
	 */
	public VerificationCache(long maxSize, Duration maxAge, Clock clock) {
		Assert.isTrue(maxSize > 0, "maxSize must be positive");
		Assert.notNull(maxAge, "maxAge cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.maxAge = maxAge;
		this.clock = clock;
		this.tokens = new GenerationalCache<>(maxSize, clock);
		this.owners = new GenerationalCache<>(maxSize, clock);
		this.suspendedSince = clock.instant();
	}

	/**
	 * The token record for this digest: from the cache, or read by {@code store} and
	 * kept.
	 */
	Optional<PersonalAccessToken> token(String digest, Supplier<Optional<PersonalAccessToken>> store) {
		if (!this.live) {
			this.misses.increment();
			return store.get();
		}
		PersonalAccessToken cached = this.tokens.get(digest);
		if (cached != null) {
			this.hits.increment();
			return Optional.of(cached);
		}
		this.misses.increment();
		long askedAt = this.tokens.generation();
		Optional<PersonalAccessToken> found = store.get();
		found.ifPresent((token) -> {
			Duration untilEnd = Duration.between(this.clock.instant(), token.endsAt());
			this.tokens.put(digest, token, (untilEnd.compareTo(this.maxAge) < 0) ? untilEnd : this.maxAge, askedAt);
		});
		return found;
	}

	/**
	 * The owner's state: from the cache, or read by {@code store} and kept if the owner
	 * is enabled.
	 */
	Optional<OwnerState> owner(String username, Supplier<Optional<OwnerState>> store) {
		if (!this.live) {
			return store.get();
		}
		String key = EventDrivenCache.usernameKey(username);
		OwnerState cached = this.owners.get(key);
		if (cached != null) {
			return Optional.of(cached);
		}
		long askedAt = this.owners.generation();
		Optional<OwnerState> found = store.get();
		found.filter(OwnerState::enabled).ifPresent((state) -> this.owners.put(key, state, this.maxAge, askedAt));
		return found;
	}

	@Override
	public void dropToken(String tokenDigest) {
		this.tokens.drop(tokenDigest);
	}

	/** Drops the users' states, and every token record of theirs in one pass. */
	@Override
	public void dropUsers(Set<String> usernameKeys) {
		usernameKeys.forEach(this.owners::drop);
		this.tokens.dropIf((token) -> usernameKeys.contains(EventDrivenCache.usernameKey(token.owner())));
	}

	/**
	 * Events reach this cache again (the subscription is confirmed): it starts over,
	 * empty.
	 */
	public void resume() {
		dropAll();
		synchronized (this) {
			if (this.suspendedSince != null) {
				this.suspendedBefore = this.suspendedBefore
					.plus(Duration.between(this.suspendedSince, this.clock.instant()));
				this.suspendedSince = null;
			}
			this.live = true;
		}
	}

	/**
	 * Events may not reach this cache (a connection dropped): it empties and stands aside
	 * until resumed.
	 */
	public void suspend() {
		synchronized (this) {
			this.live = false;
			if (this.suspendedSince == null) {
				this.suspendedSince = this.clock.instant();
			}
		}
		dropAll();
	}

	public boolean isLive() {
		return this.live;
	}

	/** How many token records were served from the cache. */
	public long hits() {
		return this.hits.sum();
	}

	/** How many token records were read from the store (suspended or not). */
	public long misses() {
		return this.misses.sum();
	}

	/**
	 * How long the cache has stood aside in all (since it was made, until its first
	 * {@link #resume}, and between every {@link #suspend} and the next resume), up to
	 * now.
	 */
	public synchronized Duration timeSuspended() {
		return (this.suspendedSince != null)
				? this.suspendedBefore.plus(Duration.between(this.suspendedSince, this.clock.instant()))
				: this.suspendedBefore;
	}

	@Override
	public void dropAll() {
		this.tokens.dropAll();
		this.owners.dropAll();
	}

}
