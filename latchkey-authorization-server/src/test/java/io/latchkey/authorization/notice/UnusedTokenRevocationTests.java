package io.latchkey.authorization.notice;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.token.TokenRepository;
import io.latchkey.authorization.token.TokenRevocation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.Mockito.mock;

/**
 * What is due for a token at a given time, with {@code revoke-unused-after=30d} and
 * notices 14 and 7 days before: nothing, a notice stage, or the revocation.
 */
class UnusedTokenRevocationTests {

	private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

	private static final Duration AFTER = Duration.ofDays(30);

	private final UnusedTokenRevocation unused = revocation(List.of((ExpiryNotice notice) -> "test"));

	@Test
	void dueWhenNeverUsedThenCountedFromCreation() {
		IdleClock token = clock(null, CREATED.plus(Duration.ofDays(365)), false);
		assertThat(this.unused.due(token, at(15))).isEmpty();
		assertThat(this.unused.due(token, at(16))).contains(Duration.ofDays(14));
		assertThat(this.unused.due(token, at(23))).contains(Duration.ofDays(7));
		assertThat(this.unused.due(token, at(30).minusMillis(1))).contains(Duration.ofDays(7));
		assertThat(this.unused.due(told(token, Duration.ofDays(7), at(23)), at(30))).contains(Duration.ZERO);
	}

	@Test
	void dueWhenAStageWasToldThenNothingUntilTheNextStage() {
		IdleClock token = told(clock(null, CREATED.plus(Duration.ofDays(365)), false), Duration.ofDays(14), at(16));
		assertThat(this.unused.due(token, at(20))).isEmpty();
		assertThat(this.unused.due(token, at(23))).contains(Duration.ofDays(7));
		assertThat(this.unused.due(token, at(30))).as("the last stage never told: told now")
			.contains(Duration.ofDays(7));
	}

	@Test
	void dueWhenIdleBeyondTheLimitAndNeverToldThenTheLastNoticeFirstAndTheRevocationAStageLater() {
		IdleClock token = clock(null, CREATED.plus(Duration.ofDays(365)), false);
		assertThat(this.unused.due(token, at(200))).as("the rule turned on at day 200").contains(Duration.ofDays(7));
		IdleClock told = told(token, Duration.ofDays(7), at(200));
		assertThat(this.unused.due(told, at(200))).isEmpty();
		assertThat(this.unused.due(told, at(207).minusMillis(1))).isEmpty();
		assertThat(this.unused.due(told, at(207))).contains(Duration.ZERO);
	}

	@Test
	void dueWhenTheLastNoticeWasToldLateThenTheRevocationWaitsAWholeStage() {
		IdleClock token = told(clock(null, CREATED.plus(Duration.ofDays(365)), false), Duration.ofDays(7), at(28));
		assertThat(this.unused.due(token, at(30))).isEmpty();
		assertThat(this.unused.due(token, at(35))).contains(Duration.ZERO);
	}

	@Test
	void dueWhenTheRevocationWasClaimedThenTheRevocationAgain() {
		IdleClock token = told(clock(null, CREATED.plus(Duration.ofDays(365)), false), Duration.ZERO, at(30));
		assertThat(this.unused.due(token, at(31))).contains(Duration.ZERO);
	}

	@Test
	void dueWhenUsedThenCountedFromTheLastUse() {
		IdleClock token = clock(at(20), CREATED.plus(Duration.ofDays(365)), false);
		assertThat(this.unused.due(token, at(30))).isEmpty();
		assertThat(this.unused.due(token, at(43))).contains(Duration.ofDays(7));
		assertThat(this.unused.due(told(token, Duration.ofDays(7), at(43)), at(50))).contains(Duration.ZERO);
	}

	@Test
	void dueWhenRotatedThenNothingItsSuccessorCarriesOn() {
		assertThat(this.unused.due(clock(null, CREATED.plus(Duration.ofDays(365)), true), at(100))).isEmpty();
	}

	@Test
	void dueWhenTheTokenExpiresFirstThenNothing() {
		IdleClock token = clock(null, at(30), false);
		assertThat(this.unused.due(token, at(25))).as("it expires when it would be revoked").isEmpty();
		assertThat(this.unused.due(token, at(31))).as("expired").isEmpty();
	}

	@Test
	void dueWhenNoChannelThenRevokedUntold() {
		UnusedTokenRevocation untold = revocation(List.of());
		IdleClock token = clock(null, CREATED.plus(Duration.ofDays(365)), false);
		assertThat(untold.due(token, at(25))).isEmpty();
		assertThat(untold.due(token, at(30))).contains(Duration.ZERO);
		assertThat(untold.due(token, at(200))).as("turned on late: revoked at once").contains(Duration.ZERO);
	}

	@Test
	void stagesWhenNotShorterThanTheIdleTimeThenDropped() {
		UnusedTokenRevocation shortIdle = new UnusedTokenRevocation(mock(UnusedTokenSchedule.class),
				mock(TokenRepository.class), mock(OwnerDirectory.class), mock(TokenRevocation.class),
				List.of((ExpiryNotice notice) -> "test"), Duration.ofDays(5), List.of(Duration.ofDays(7)),
				Duration.ofHours(1), mock(AuditLog.class));
		IdleClock token = clock(null, CREATED.plus(Duration.ofDays(365)), false);
		assertThat(shortIdle.due(token, CREATED.plusSeconds(1))).as("not told at creation").isEmpty();
		assertThat(shortIdle.due(token, CREATED.plus(Duration.ofDays(5)))).contains(Duration.ZERO);
	}

	@Test
	void constructorWhenIdleTimeNotPositiveThenRefusedNamingTheProperty() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new UnusedTokenRevocation(mock(UnusedTokenSchedule.class), mock(TokenRepository.class),
					mock(OwnerDirectory.class), mock(TokenRevocation.class), List.of(), Duration.ZERO, List.of(),
					Duration.ofHours(1), mock(AuditLog.class)))
			.withMessageContaining("latchkey.tokens.revoke-unused-after");
	}

	private static UnusedTokenRevocation revocation(List<NoticeChannel> channels) {
		return new UnusedTokenRevocation(mock(UnusedTokenSchedule.class), mock(TokenRepository.class),
				mock(OwnerDirectory.class), mock(TokenRevocation.class), channels, AFTER,
				List.of(Duration.ofDays(7), Duration.ofDays(14)), Duration.ofHours(1), mock(AuditLog.class));
	}

	private static IdleClock clock(Instant lastUsedAt, Instant expiresAt, boolean rotated) {
		return new IdleClock("alice", "t1", "digest", CREATED, lastUsedAt, expiresAt, rotated);
	}

	private static IdleClock told(IdleClock token, Duration before, Instant at) {
		return new IdleClock(token.owner(), token.id(), token.digest(), token.createdAt(), token.lastUsedAt(),
				token.expiresAt(), token.rotated(), new IdleClock.Step(before, at));
	}

	private static Instant at(int days) {
		return CREATED.plus(Duration.ofDays(days));
	}

}
