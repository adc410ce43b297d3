package io.latchkey.core.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.jspecify.annotations.Nullable;

/**
 * A bounded cache of answers read from elsewhere (a store, the auth server), each kept
 * for a time of its own, that never keeps an answer read while something was dropped. A
 * reader takes the {@link #generation()} before it asks, and hands it to {@link #put}: if
 * any drop happened since, the answer may predate the change that caused the drop, and is
 * not kept. Both the auth server's verification cache and a resource service's
 * introspection cache are built on it.
 *
 * @param <V> the cached answers
 * @since 0.1
 */
public final class GenerationalCache<V> {

	private final Cache<String, Entry<V>> entries;

	private final AtomicLong generation = new AtomicLong();

	/**
	 * @param maxSize the most entries kept (Caffeine's size eviction beyond)
	 * @param clock the clock entries expire by
	 */
	public GenerationalCache(long maxSize, Clock clock) {
		if (maxSize <= 0) {
			throw new IllegalArgumentException("maxSize must be positive");
		}
		this.entries = Caffeine.newBuilder()
			.maximumSize(maxSize)
			.ticker(new ClockTicker(clock))
			.expireAfter(Expiry.creating((String key, Entry<V> entry) -> entry.keepFor()))
			.recordStats()
			.build();
	}

	/** Taken before asking for an answer, handed back to {@link #put}. */
	public long generation() {
		return this.generation.get();
	}

	/**
	 * The answer kept under this key, if any.
	 * @param key the entry's key
	 * @return the answer, or {@code null}
	 */
	public @Nullable V get(String key) {
		Entry<V> entry = this.entries.getIfPresent(key);
		return (entry != null) ? entry.value() : null;
	}

	/**
	 * Keeps an answer for {@code keepFor}, unless that is not positive or something was
	 * dropped since the reader took {@code askedAt}.
	 * @param key the entry's key
	 * @param value the answer
	 * @param keepFor how long it may be served
	 * @param askedAt the {@link #generation()} taken before the answer was asked for
	 */
	public void put(String key, V value, Duration keepFor, long askedAt) {
		if (!keepFor.isPositive()) {
			return;
		}
		this.entries.put(key, new Entry<>(value, keepFor));
		if (this.generation.get() != askedAt) {
			this.entries.invalidate(key);
		}
	}

	/**
	 * Drops one entry.
	 * @param key the entry's key
	 */
	public void drop(String key) {
		this.generation.incrementAndGet();
		this.entries.invalidate(key);
	}

	/**
	 * Drops every entry whose answer is stale, in one pass.
	 * @param stale which answers to drop
	 */
	public void dropIf(Predicate<V> stale) {
		this.generation.incrementAndGet();
		this.entries.asMap().values().removeIf((entry) -> stale.test(entry.value()));
	}

	/** Drops everything. */
	public void dropAll() {
		this.generation.incrementAndGet();
		this.entries.invalidateAll();
	}

	/**
	 * The Caffeine cache itself, for its statistics (Micrometer's
	 * {@code CaffeineCacheMetrics}).
	 */
	public Cache<String, ?> caffeine() {
		return this.entries;
	}

	private record Entry<V>(V value, Duration keepFor) {
	}

}
