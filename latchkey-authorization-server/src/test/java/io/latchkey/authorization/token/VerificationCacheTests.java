package io.latchkey.authorization.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.core.event.EventType;
import io.latchkey.core.event.LatchkeyEvent;
import io.latchkey.testsupport.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auth server's cache of verified tokens and owners: hot reads cost no store call,
 * events drop what they make stale, nothing outlives the token's expiry or the maximum
 * age (time moved by the clock), and a value read while a drop happened is never kept.
 */
class VerificationCacheTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

	private final VerificationCache cache = new VerificationCache(1000, Duration.ofSeconds(30), this.clock);

	private final AtomicInteger reads = new AtomicInteger();

	@BeforeEach
	void subscribed() {
		this.cache.resume();
	}

	@Test
	void tokenWhenSuspendedThenEveryReadAsksTheStoreUntilResumed() {
		PersonalAccessToken token = token("d1", Duration.ofDays(1));
		readToken("d1", token);
		this.cache.suspend();
		readToken("d1", token);
		readToken("d1", token);
		assertThat(this.reads).hasValue(3);
		this.cache.resume();
		readToken("d1", token);
		readToken("d1", token);
		assertThat(this.reads).hasValue(4);
	}

	@Test
	void statisticsWhenReadAndSuspendedThenHitsMissesAndTimeSuspendedCounted() {
		PersonalAccessToken token = token("d1", Duration.ofDays(1));
		readToken("d1", token);
		readToken("d1", token);
		readToken("d1", token);
		assertThat(this.cache.hits()).isEqualTo(2);
		assertThat(this.cache.misses()).isEqualTo(1);
		assertThat(this.cache.timeSuspended()).isZero();

		this.cache.suspend();
		this.clock.advance(Duration.ofSeconds(5));
		readToken("d1", token);
		assertThat(this.cache.misses()).as("a read while suspended goes to the store").isEqualTo(2);
		assertThat(this.cache.timeSuspended()).as("still suspended: counted up to now")
			.isEqualTo(Duration.ofSeconds(5));
		this.cache.suspend();
		this.clock.advance(Duration.ofSeconds(2));
		this.cache.resume();
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.cache.timeSuspended()).isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void tokenWhenRotatedThenTheNextReadAsksTheStore() {
		PersonalAccessToken token = token("d1", Duration.ofDays(1));
		readToken("d1", token);
		this.cache.apply(LatchkeyEvent.tokenRotated("alice", "id", "d1", this.clock.instant()));
		readToken("d1", token);
		assertThat(this.reads).hasValue(2);
	}

	@Test
	void tokenWhenReadOnceThenServedWithoutTheStore() {
		PersonalAccessToken token = token("d1", Duration.ofDays(1));
		assertThat(readToken("d1", token)).contains(token);
		assertThat(readToken("d1", token)).contains(token);
		assertThat(this.reads).hasValue(1);
	}

	@Test
	void tokenWhenRevokedThenTheNextReadAsksTheStore() {
		PersonalAccessToken token = token("d1", Duration.ofDays(1));
		readToken("d1", token);
		this.cache.apply(LatchkeyEvent.tokenRevoked("alice", "id", "d1", this.clock.instant()));
		assertThat(readToken("d1", null)).isEmpty();
		assertThat(this.reads).hasValue(2);
	}

	@Test
	void tokenWhenAllTheUsersTokensRevokedOrTheUserDeletedThenDropped() {
		for (EventType type : List.of(EventType.USER_TOKENS_REVOKED, EventType.USER_DELETED)) {
			readToken("d1", token("d1", Duration.ofDays(1)));
			this.cache.apply(LatchkeyEvent.user(type, "ALICE", this.clock.instant()));
			int before = this.reads.get();
			readToken("d1", null);
			assertThat(this.reads.get()).as(type.wireName()).isEqualTo(before + 1);
		}
	}

	@Test
	void tokenWhenItExpiresBeforeTheMaximumAgeThenGoneAtItsExpiry() {
		PersonalAccessToken token = token("d1", Duration.ofSeconds(10));
		readToken("d1", token);
		this.clock.advance(Duration.ofSeconds(9));
		readToken("d1", token);
		assertThat(this.reads).hasValue(1);
		this.clock.advance(Duration.ofSeconds(1));
		readToken("d1", token);
		assertThat(this.reads).hasValue(2);
	}

	@Test
	void tokenWhenOlderThanTheMaximumAgeThenReadAgain() {
		PersonalAccessToken token = token("d1", Duration.ofDays(1));
		readToken("d1", token);
		this.clock.advance(Duration.ofSeconds(30));
		readToken("d1", token);
		assertThat(this.reads).hasValue(2);
	}

	@Test
	void ownerWhenRightsChangeThroughAUserOrGroupEventThenReadAgain() {
		readOwner(state(true, Set.of("projects.read")));
		this.cache.apply(LatchkeyEvent.user(EventType.USER_CHANGED, "alice", this.clock.instant()));
		assertThat(readOwner(state(true, Set.of()))).get().extracting(OwnerState::rights).isEqualTo(Set.of());
		this.cache.apply(LatchkeyEvent.group(EventType.GROUP_CHANGED, "g", List.of("Alice"), this.clock.instant()));
		assertThat(readOwner(state(true, Set.of("users.manage")))).get()
			.extracting(OwnerState::rights)
			.isEqualTo(Set.of("users.manage"));
		assertThat(this.reads).hasValue(3);
	}

	@Test
	void ownerWhenDisabledThenNeverKeptSoEnablingTakesEffectAtOnce() {
		readOwner(state(false, Set.of()));
		assertThat(readOwner(state(true, Set.of()))).get().extracting(OwnerState::enabled).isEqualTo(true);
		assertThat(this.reads).hasValue(2);
	}

	@Test
	void tokenWhenRevokedWhileItWasBeingReadThenTheReadIsNotKept() {
		PersonalAccessToken stale = token("d1", Duration.ofDays(1));
		Optional<PersonalAccessToken> read = this.cache.token("d1", () -> {
			this.cache.apply(LatchkeyEvent.tokenRevoked("alice", "id", "d1", this.clock.instant()));
			return Optional.of(stale);
		});
		assertThat(read).contains(stale);
		assertThat(readToken("d1", null)).as("the answer read during the revocation was not kept").isEmpty();
	}

	private Optional<PersonalAccessToken> readToken(String digest, PersonalAccessToken stored) {
		return this.cache.token(digest, () -> {
			this.reads.incrementAndGet();
			return Optional.ofNullable(stored);
		});
	}

	private Optional<OwnerState> readOwner(OwnerState stored) {
		return this.cache.owner("alice", () -> {
			this.reads.incrementAndGet();
			return Optional.of(stored);
		});
	}

	private PersonalAccessToken token(String digest, Duration lifetime) {
		Instant now = this.clock.instant();
		return new PersonalAccessToken("id", digest, "lkp_…", "alice", "uid", null, Set.of(), now, "alice",
				now.plus(lifetime), null, null, "id", List.of(), null, null, List.of(), null, null, null);
	}

	private static OwnerState state(boolean enabled, Set<String> rights) {
		return new OwnerState("alice", "uid", enabled, rights, "stamp");
	}

}
