package io.latchkey.core.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The helper both caches are built on: an entry lives its own time by the injected clock,
 * a drop that happened while an answer was being read keeps that answer out, and drops by
 * predicate reach every matching entry.
 */
class GenerationalCacheTests {

	private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T10:00:00Z"));

	private final Clock clock = new Clock() {
		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return GenerationalCacheTests.this.now.get();
		}
	};

	private final GenerationalCache<String> cache = new GenerationalCache<>(100, this.clock);

	@Test
	void getWhenKeptThenServedUntilItsOwnTimeIsUp() {
		this.cache.put("a", "answer", Duration.ofSeconds(10), this.cache.generation());
		advance(Duration.ofSeconds(9));
		assertThat(this.cache.get("a")).isEqualTo("answer");
		advance(Duration.ofSeconds(1));
		assertThat(this.cache.get("a")).isNull();
	}

	@Test
	void putWhenADropHappenedWhileTheAnswerWasReadThenItIsNotKept() {
		long askedAt = this.cache.generation();
		this.cache.drop("unrelated");
		this.cache.put("a", "stale", Duration.ofSeconds(10), askedAt);
		assertThat(this.cache.get("a")).isNull();
	}

	@Test
	void putWhenTheTimeToKeepIsNotPositiveThenNothingIsKept() {
		this.cache.put("a", "answer", Duration.ZERO, this.cache.generation());
		this.cache.put("b", "answer", Duration.ofSeconds(-1), this.cache.generation());
		assertThat(this.cache.get("a")).isNull();
		assertThat(this.cache.get("b")).isNull();
	}

	@Test
	void dropIfWhenEntriesMatchThenOnlyThoseGo() {
		long askedAt = this.cache.generation();
		this.cache.put("a", "alice", Duration.ofSeconds(10), askedAt);
		this.cache.put("b", "bob", Duration.ofSeconds(10), askedAt);
		this.cache.dropIf("alice"::equals);
		assertThat(this.cache.get("a")).isNull();
		assertThat(this.cache.get("b")).isEqualTo("bob");
		this.cache.dropAll();
		assertThat(this.cache.get("b")).isNull();
	}

	private void advance(Duration duration) {
		this.now.set(this.now.get().plus(duration));
	}

}
