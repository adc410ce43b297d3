package io.latchkey.core.cache;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Caffeine's time read from a {@link Clock}, so that tests move a cache's expiry with the
 * clock they inject instead of sleeping.
 *
 * @since 0.1
 */
public final class ClockTicker implements Ticker {

	private final Clock clock;

	/**
	 * @param clock the clock whose instants the cache's expiry follows
	 */
	public ClockTicker(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	@Override
	public long read() {
		Instant now = this.clock.instant();
		return now.getEpochSecond() * 1_000_000_000L + now.getNano();
	}

}
