package io.latchkey.authorization.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.core.event.LatchkeyEvent;

import org.springframework.util.Assert;

/**
 * Keeps what the hot verification path read from the store, so that a hot token costs no
 * round trip: token records by digest (never past the token's {@code exp} nor a maximum age),
 * and owners' states by username (enabled ones only, for the maximum age). Everything is
 * dropped by the events that change it ({@link #apply}: a revoked token, a user or group event,
 * every instance subscribing), and whole when the subscription is (re)established. A value read
 * while any drop happened is not kept: it may predate the change that caused the drop. The cache
 * serves only while events can reach it: it starts suspended, is {@link #resume resumed} once
 * the subscription is confirmed, and is {@link #suspend suspended} (and emptied) as soon as a
 * connection to the store drops, so that a store outage answers 503, never a cached "active".
 */
public final class VerificationCache {

	private final Cache<String, Entry<PersonalAccessToken>> tokens;

	private final Cache<String, Entry<OwnerState>> owners;

	private final Duration maxAge;

	private final Clock clock;

	private final AtomicLong generation = new AtomicLong();

	private volatile boolean live;

	public VerificationCache(long maxSize, Duration maxAge, Clock clock) {
		Assert.isTrue(maxSize > 0, "maxSize must be positive");
		Assert.notNull(maxAge, "maxAge cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.maxAge = maxAge;
		this.clock = clock;
		this.tokens = build(maxSize, clock);
		this.owners = build(maxSize, clock);
	}

	private static <V> Cache<String, Entry<V>> build(long maxSize, Clock clock) {
		return Caffeine.newBuilder()
			.maximumSize(maxSize)
			.ticker(() -> {
				Instant now = clock.instant();
				return now.getEpochSecond() * 1_000_000_000L + now.getNano();
			})
			.expireAfter(Expiry.creating((String key, Entry<V> entry) -> entry.keepFor()))
			.build();
	}

	/** Taken before reading the store, handed back to the put methods. */
	long generation() {
		return this.generation.get();
	}

	/** The token record for this digest: from the cache, or read by {@code store} and kept. */
	Optional<PersonalAccessToken> token(String digest, Supplier<Optional<PersonalAccessToken>> store) {
		if (!this.live) {
			return store.get();
		}
		Entry<PersonalAccessToken> cached = this.tokens.getIfPresent(digest);
		if (cached != null) {
			return Optional.of(cached.value());
		}
		long askedAt = generation();
		Optional<PersonalAccessToken> found = store.get();
		found.ifPresent((token) -> {
			Duration untilExpiry = Duration.between(this.clock.instant(), token.endsAt());
			Duration keepFor = (untilExpiry.compareTo(this.maxAge) < 0) ? untilExpiry : this.maxAge;
			if (keepFor.isPositive()) {
				put(this.tokens, digest, new Entry<>(token, keepFor), askedAt);
			}
		});
		return found;
	}

	/** The owner's state: from the cache, or read by {@code store} and kept if the owner is enabled. */
	Optional<OwnerState> owner(String username, Supplier<Optional<OwnerState>> store) {
		if (!this.live) {
			return store.get();
		}
		String key = key(username);
		Entry<OwnerState> cached = this.owners.getIfPresent(key);
		if (cached != null) {
			return Optional.of(cached.value());
		}
		long askedAt = generation();
		Optional<OwnerState> found = store.get();
		found.filter(OwnerState::enabled)
			.ifPresent((state) -> put(this.owners, key, new Entry<>(state, this.maxAge), askedAt));
		return found;
	}

	private <V> void put(Cache<String, Entry<V>> cache, String key, Entry<V> entry, long askedAt) {
		cache.put(key, entry);
		if (this.generation.get() != askedAt) {
			cache.invalidate(key);
		}
	}

	/** Drops what an event makes stale. */
	public void apply(LatchkeyEvent event) {
		switch (event.type()) {
			case TOKEN_REVOKED, TOKEN_ROTATED -> {
				if (event.tokenDigest() != null) {
					dropToken(event.tokenDigest());
				}
				else {
					dropAll();
				}
			}
			case USER_TOKENS_REVOKED, USER_DELETED -> event.usernames().forEach((user) -> {
				dropOwner(user);
				dropTokensOf(user);
			});
			default -> event.usernames().forEach(this::dropOwner);
		}
	}

	public void dropToken(String digest) {
		this.generation.incrementAndGet();
		this.tokens.invalidate(digest);
	}

	public void dropOwner(String username) {
		this.generation.incrementAndGet();
		this.owners.invalidate(key(username));
	}

	public void dropTokensOf(String username) {
		this.generation.incrementAndGet();
		this.tokens.asMap().values().removeIf((entry) -> entry.value().owner().equalsIgnoreCase(username));
	}

	/** Events reach this cache again (the subscription is confirmed): it starts over, empty. */
	public void resume() {
		dropAll();
		this.live = true;
	}

	/** Events may not reach this cache (a connection dropped): it empties and stands aside until resumed. */
	public void suspend() {
		this.live = false;
		dropAll();
	}

	public boolean isLive() {
		return this.live;
	}

	public void dropAll() {
		this.generation.incrementAndGet();
		this.tokens.invalidateAll();
		this.owners.invalidateAll();
	}

	public long size() {
		return this.tokens.estimatedSize() + this.owners.estimatedSize();
	}

	private static String key(String username) {
		return username.toLowerCase(Locale.ROOT);
	}

	private record Entry<V>(V value, Duration keepFor) {
	}

}
