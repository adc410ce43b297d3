package io.latchkey.core.cache;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.latchkey.core.event.EventType;
import io.latchkey.core.event.LatchkeyEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one rule both caches follow: each event type drops what its reach names, users
 * match whatever their case, and a token event without a digest drops everything.
 */
class EventDrivenCacheTests {

	private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

	private final List<String> drops = new ArrayList<>();

	private final EventDrivenCache cache = new EventDrivenCache() {
		@Override
		public void dropToken(String tokenDigest) {
			EventDrivenCacheTests.this.drops.add("token " + tokenDigest);
		}

		@Override
		public void dropUsers(Set<String> usernameKeys) {
			EventDrivenCacheTests.this.drops.add("users " + usernameKeys);
		}

		@Override
		public void dropAll() {
			EventDrivenCacheTests.this.drops.add("all");
		}
	};

	@Test
	void applyWhenEveryEventTypeThenWhatItsReachNames() {
		for (EventType type : EventType.values()) {
			this.drops.clear();
			LatchkeyEvent event = switch (type.reach()) {
				case TOKEN -> new LatchkeyEvent(type, "alice", "id", "d1", null, List.of(), AT);
				case USERS -> LatchkeyEvent.user(type, "Alice", AT);
			};
			this.cache.apply(event);
			assertThat(this.drops).as(type.wireName())
				.containsExactly((type.reach() == EventType.Reach.TOKEN) ? "token d1" : "users [alice]");
		}
	}

	@Test
	void applyWhenAGroupEventNamesMembersThenAllOfThemInOneDrop() {
		this.cache.apply(LatchkeyEvent.group(EventType.GROUP_CHANGED, "g", List.of("Bob"), AT));
		assertThat(this.drops).containsExactly("users [bob]");
	}

	@Test
	void applyWhenATokenEventCarriesNoDigestThenEverythingGoes() {
		this.cache.apply(new LatchkeyEvent(EventType.TOKEN_REVOKED, "alice", "id", null, null, List.of(), AT));
		assertThat(this.drops).containsExactly("all");
	}

	@Test
	void usernameKeyWhenSpelledInAnyCaseThenTheSame() {
		assertThat(EventDrivenCache.usernameKey("CI-Bot")).isEqualTo(EventDrivenCache.usernameKey("ci-bot"));
	}

}
