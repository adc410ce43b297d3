package io.latchkey.auth.embedded;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.latchkey.testsupport.CapturedLogs;
import io.latchkey.testsupport.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.util.backoff.ExponentialBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The embedded redis-server is started again when it exits, after waits that grow while
 * it keeps failing, with readiness down meanwhile, and never once the application stops.
 * The processes, the scheduler and the clock are stand-ins: each scheduled restart is run
 * by hand.
 */
class EmbeddedRedisSupervisorTests {

	private static final Duration STABLE_AFTER = Duration.ofSeconds(10);

	private final Deque<Object> launches = new ArrayDeque<>();

	private final List<ReadinessState> readiness = new ArrayList<>();

	private final ScheduledExecutorService scheduler = mock(ScheduledExecutorService.class);

	private final MutableClock clock = MutableClock.startingNow();

	private int launched;

	private Process launchedProcess;

	private EmbeddedRedisSupervisor supervisor;

	@BeforeEach
	void supervisor() {
		willAnswer((invocation) -> {
			invocation.<Runnable>getArgument(0).run();
			return null;
		}).given(this.scheduler).execute(any());
		ExponentialBackOff backOff = new ExponentialBackOff(100, 2);
		backOff.setMaxInterval(300);
		this.supervisor = new EmbeddedRedisSupervisor(this::launch, "127.0.0.1:6390", backOff, STABLE_AFTER,
				(event) -> {
					if (event instanceof AvailabilityChangeEvent<?> change
							&& change.getState() instanceof ReadinessState state) {
						this.readiness.add(state);
					}
				}, this.scheduler);
		this.supervisor.setClock(this.clock);
	}

	@Test
	void exitWhenUnexpectedThenStartedAgainAfterTheFirstWaitWithReadinessDownMeanwhile() throws IOException {
		int logsBefore = CapturedLogs.events().size();
		CompletableFuture<Process> first = willLaunch();
		willLaunch();
		this.supervisor.start();

		first.complete(null);

		assertThat(this.readiness).containsExactly(ReadinessState.REFUSING_TRAFFIC);
		assertThat(this.launched).as("not before the wait").isEqualTo(1);
		runScheduledRestart(100);
		assertThat(this.launched).isEqualTo(2);
		assertThat(this.readiness).containsExactly(ReadinessState.REFUSING_TRAFFIC, ReadinessState.ACCEPTING_TRAFFIC);
		assertThat(CapturedLogs.events().subList(logsBefore, CapturedLogs.events().size()))
			.anyMatch((line) -> line.contains("redis-server on 127.0.0.1:6390 exited (exit code 137)"))
			.anyMatch((line) -> line.contains("Restarted the embedded redis-server on 127.0.0.1:6390"));
	}

	@Test
	void restartWhenTriesFailThenEachWaitLongerUpToTheMaximumAndReadinessDownUntilOneWorks() throws IOException {
		CompletableFuture<Process> first = willLaunch();
		this.launches.add(new IOException("Address already in use"));
		this.launches.add(new IOException("Address already in use"));
		this.launches.add(new IOException("Address already in use"));
		willLaunch();
		this.supervisor.start();
		first.complete(null);

		runScheduledRestart(100);
		runScheduledRestart(200);
		runScheduledRestart(300);
		assertThat(this.readiness).containsExactly(ReadinessState.REFUSING_TRAFFIC);
		runScheduledRestart(300);

		assertThat(this.launched).isEqualTo(5);
		assertThat(this.readiness).containsExactly(ReadinessState.REFUSING_TRAFFIC, ReadinessState.ACCEPTING_TRAFFIC);
	}

	@Test
	void exitWhenRestartedServerDiesAgainSoonThenWaitsGoOnGrowingAndAfterALongRunTheyStartOver() throws IOException {
		CompletableFuture<Process> first = willLaunch();
		CompletableFuture<Process> second = willLaunch();
		CompletableFuture<Process> third = willLaunch();
		willLaunch();
		this.supervisor.start();

		first.complete(null);
		runScheduledRestart(100);
		this.clock.advance(Duration.ofSeconds(1));
		second.complete(null);
		runScheduledRestart(200);
		this.clock.advance(STABLE_AFTER);
		third.complete(null);
		runScheduledRestart(100);

		assertThat(this.launched).isEqualTo(4);
	}

	@Test
	void restartWhenApplicationDoesNotReachTheServerYetThenReadinessStaysDownUntilItDoes() throws IOException {
		Deque<Boolean> reaches = new ArrayDeque<>(List.of(false, false, true));
		this.supervisor.setReachable(reaches::removeFirst);
		CompletableFuture<Process> first = willLaunch();
		willLaunch();
		this.supervisor.start();
		first.complete(null);

		runScheduledRestart(100);
		assertThat(this.readiness).containsExactly(ReadinessState.REFUSING_TRAFFIC);
		runScheduledRestart(EmbeddedRedisSupervisor.RECHECK.toMillis());
		assertThat(this.readiness).containsExactly(ReadinessState.REFUSING_TRAFFIC);
		runScheduledRestart(EmbeddedRedisSupervisor.RECHECK.toMillis());

		assertThat(this.readiness).containsExactly(ReadinessState.REFUSING_TRAFFIC, ReadinessState.ACCEPTING_TRAFFIC);
		assertThat(reaches).isEmpty();
	}

	@Test
	void exitWhenApplicationStoppedThenNotStartedAgainAndNoReadinessChange() throws IOException {
		CompletableFuture<Process> first = willLaunch();
		Process running = this.launchedProcess;
		this.supervisor.start();

		this.supervisor.stop();
		first.complete(null);

		verify(running).destroy();
		verify(this.scheduler, never()).schedule(any(Runnable.class), anyLong(), any());
		assertThat(this.launched).isEqualTo(1);
		assertThat(this.readiness).isEmpty();
	}

	@Test
	void restartWhenApplicationStoppedDuringTheWaitThenNothingStarted() throws IOException {
		CompletableFuture<Process> first = willLaunch();
		willLaunch();
		this.supervisor.start();
		first.complete(null);

		this.supervisor.stop();
		runScheduledRestart(100);

		assertThat(this.launched).isEqualTo(1);
		assertThat(this.readiness).containsExactly(ReadinessState.REFUSING_TRAFFIC);
	}

	/** The next launch returns a process whose exit the test completes. */
	private CompletableFuture<Process> willLaunch() {
		Process process = mock(Process.class);
		CompletableFuture<Process> exit = new CompletableFuture<>();
		when(process.onExit()).thenReturn(exit);
		when(process.exitValue()).thenReturn(137);
		this.launches.add(process);
		this.launchedProcess = process;
		return exit;
	}

	private Process launch() throws IOException {
		this.launched++;
		Object next = this.launches.removeFirst();
		if (next instanceof IOException failure) {
			throw failure;
		}
		return (Process) next;
	}

	/**
	 * Runs the task (a restart, or a check) scheduled last, checking that it waits
	 * {@code millis}.
	 */
	private void runScheduledRestart(long millis) {
		ArgumentCaptor<Runnable> restart = ArgumentCaptor.forClass(Runnable.class);
		verify(this.scheduler, atLeastOnce()).schedule(restart.capture(), eq(millis), eq(TimeUnit.MILLISECONDS));
		clearInvocations(this.scheduler);
		restart.getValue().run();
	}

}
