package io.latchkey.authorization.leak;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.latchkey.authorization.notice.LeakNotifier;
import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.authorization.token.RevocationReason;
import io.latchkey.authorization.token.TokenRevocation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * A report's strings are all revoked before any notice of it is sent, each on its own: a
 * hanging notice (a webhook that never answers) keeps no reported token live and holds up
 * no other report, a storage failure on one string is retried and never drops the rest of
 * the report, and an owner is told once, by the revocation that removed the token. The
 * revocation and the notifier are mocks, so that hangs and failures are exact.
 */
class LeakReportsTests {

	private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

	private final TokenRevocation revocation = mock(TokenRevocation.class);

	private final LeakNotifier notifier = mock(LeakNotifier.class);

	private final LeakReportQueue queue = new LeakReportQueue(2);

	private final LeakReports reports = new LeakReports(this.revocation, this.notifier, this.queue,
			new LeakReportQueue(2, "latchkey-leak-notices"));

	private final CountDownLatch release = new CountDownLatch(1);

	{
		this.reports.setRetryBackoff(Duration.ZERO);
	}

	@AfterEach
	void close() {
		this.release.countDown();
		this.queue.close();
		this.reports.close();
	}

	@Test
	void reportWhenTheOwnersWebhookHangsThenEveryStringOfThisAndTheNextReportIsRevokedMeanwhile() {
		revokes("lkp_a", "lkp_b", "lkp_c");
		CountDownLatch telling = hangingNotices();

		assertThat(this.reports.report(List.of("lkp_a", "lkp_b"))).isTrue();
		await(telling);
		assertThat(this.reports.report(List.of("lkp_c"))).isTrue();

		verify(this.revocation, timeout(5000)).revokeByValue("lkp_b", LeakReports.PUBLIC_ACTOR, LeakReports.PUBLIC_VIA,
				RevocationReason.REPORTED);
		verify(this.revocation, timeout(5000)).revokeByValue("lkp_c", LeakReports.PUBLIC_ACTOR, LeakReports.PUBLIC_VIA,
				RevocationReason.REPORTED);
		assertThat(this.queue.waiting()).as("nothing waits behind the hanging notice").isZero();
	}

	@Test
	void reportWhenTheStoreFailsOnAStringThenItIsRetriedAndTheRestOfTheReportRevoked() {
		revokes("lkp_b", "lkp_d");
		given(this.revocation.revokeByValue(eq("lkp_a"), anyString(), anyString(), any()))
			.willThrow(new DataAccessResourceFailureException("Redis is restarting"))
			.willReturn(Optional.of(revoked("lkp_a", true)));
		given(this.revocation.revokeByValue(eq("lkp_c"), anyString(), anyString(), any()))
			.willThrow(new DataAccessResourceFailureException("Redis is down"));

		assertThat(this.reports.report(List.of("lkp_a", "lkp_b", "lkp_c", "lkp_d"))).isTrue();

		verify(this.revocation, timeout(5000)).revokeByValue("lkp_d", LeakReports.PUBLIC_ACTOR, LeakReports.PUBLIC_VIA,
				RevocationReason.REPORTED);
		verify(this.revocation, times(2)).revokeByValue(eq("lkp_a"), anyString(), anyString(), any());
		verify(this.revocation, times(3)).revokeByValue(eq("lkp_c"), anyString(), anyString(), any());
		verify(this.notifier, timeout(5000)).tell(token("lkp_a"), LeakReports.PUBLIC_SOURCE, null);
		verify(this.notifier, timeout(5000)).tell(token("lkp_b"), LeakReports.PUBLIC_SOURCE, null);
		verify(this.notifier, timeout(5000)).tell(token("lkp_d"), LeakReports.PUBLIC_SOURCE, null);
	}

	@Test
	void revokeFoundWhenTheOwnersWebhookHangsThenGitHubIsAnsweredAndNoticesSentOffItsThread() throws Exception {
		revokes("lkp_a", "lkp_b");
		CountDownLatch telling = hangingNotices();
		List<Thread> tellers = new CopyOnWriteArrayList<>();
		willAnswer((invocation) -> {
			tellers.add(Thread.currentThread());
			telling.countDown();
			this.release.await(10, TimeUnit.SECONDS);
			return null;
		}).given(this.notifier).tell(any(), anyString(), any());
		this.queue.offer(() -> await(this.release));
		this.queue.offer(() -> {
		});
		this.queue.offer(() -> {
		});

		Set<String> ours = this.reports.revokeFound(
				List.of(new LeakReports.Found("lkp_a", "https://github.com/a"), new LeakReports.Found("lkp_x", null)));

		assertThat(ours).containsExactly("lkp_a");
		assertThat(this.reports.revokeFound(List.of(new LeakReports.Found("lkp_b", null)))).containsExactly("lkp_b");
		assertThat(telling.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(tellers).doesNotContain(Thread.currentThread());
	}

	@Test
	void revokeFoundWhenAConcurrentReportRemovedTheTokenFirstThenOursButItsOwnerIsNotToldAgain() {
		given(this.revocation.revokeByValue(eq("lkp_a"), anyString(), anyString(), any()))
			.willReturn(Optional.of(revoked("lkp_a", false)));

		assertThat(this.reports.revokeFound(List.of(new LeakReports.Found("lkp_a", null)))).containsExactly("lkp_a");

		this.queue.close();
		this.reports.close();
		verify(this.notifier, times(0)).tell(any(), anyString(), any());
	}

	@Test
	void revokeFoundWhenTheStoreKeepsFailingThenFailsAndTheOwnersOfThoseRevokedBeforeAreTold() {
		revokes("lkp_a");
		given(this.revocation.revokeByValue(eq("lkp_b"), anyString(), anyString(), any()))
			.willThrow(new DataAccessResourceFailureException("Redis is down"));

		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(() -> this.reports
			.revokeFound(List.of(new LeakReports.Found("lkp_a", null), new LeakReports.Found("lkp_b", null))));

		verify(this.notifier, timeout(5000)).tell(token("lkp_a"), LeakReports.GITHUB_SOURCE, null);
	}

	private void revokes(String... credentials) {
		for (String credential : credentials) {
			given(this.revocation.revokeByValue(eq(credential), anyString(), anyString(), any()))
				.willReturn(Optional.of(revoked(credential, true)));
		}
	}

	/** Notices hang until the test ends; the latch opens once the first is being sent. */
	private CountDownLatch hangingNotices() {
		CountDownLatch telling = new CountDownLatch(1);
		willAnswer((invocation) -> {
			telling.countDown();
			this.release.await(10, TimeUnit.SECONDS);
			return null;
		}).given(this.notifier).tell(any(), anyString(), any());
		return telling;
	}

	private static TokenRevocation.Revoked revoked(String credential, boolean now) {
		return new TokenRevocation.Revoked(token(credential), now);
	}

	private static PersonalAccessToken token(String credential) {
		return new PersonalAccessToken(credential + "-id", "digest-" + credential, "lkp_…", "alice", "uid-alice", null,
				Set.of(), NOW.minus(Duration.ofDays(1)), "alice", NOW.plus(Duration.ofDays(29)), null, null, "family",
				List.of(), null, null, List.of(), null, null, null);
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
