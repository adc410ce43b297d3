package io.latchkey.auth.embedded;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Keeps the embedded redis-server running while the application runs. It watches the
 * process through {@link Process#onExit()} (no polling), and when it exits for any reason
 * other than {@link #stop()} it starts the same command again: same port, same
 * configuration, same data folder, so the new server replays the append-only file and has
 * every acknowledged write. Tries are spaced by the {@link BackOff}; the waits start over
 * once a server had run at least {@code stableAfter} before it exited, so a server that
 * keeps dying is retried ever more slowly rather than in a tight loop.
 * <p>
 * From the exit until the restarted server has replayed its AOF and the application
 * {@link #setReachable reaches} it again (Lettuce reconnects on a backoff of its own),
 * the application's readiness is {@link ReadinessState#REFUSING_TRAFFIC} (an
 * {@link AvailabilityChangeEvent}), then {@link ReadinessState#ACCEPTING_TRAFFIC} again.
 * Each exit is logged at WARN and each restart at INFO, with the address only. Once
 * {@link #stop()} began, nothing is started again.
 */
final class EmbeddedRedisSupervisor {

	private static final Log logger = LogFactory.getLog(EmbeddedRedisSupervisor.class);

	/** The wait before asking again whether the application reaches the server. */
	static final Duration RECHECK = Duration.ofMillis(100);

	private final Launcher launcher;

	private final String address;

	private final BackOff backOff;

	private final Duration stableAfter;

	private final ApplicationEventPublisher events;

	private final ScheduledExecutorService scheduler;

	private Clock clock = Clock.systemUTC();

	private BooleanSupplier reachable = () -> true;

	private @Nullable Process process;

	private Instant startedAt = Instant.EPOCH;

	private @Nullable BackOffExecution restarts;

	private boolean stopped;

	/**
	 * @param launcher starts the redis-server and returns it once it is ready
	 * @param address where it listens, for the log
	 * @param backOff the waits before each try to start it again
	 * @param stableAfter how long a server must have run for the waits to start over
	 * @param events where readiness changes are published
	 */
	EmbeddedRedisSupervisor(Launcher launcher, String address, BackOff backOff, Duration stableAfter,
			ApplicationEventPublisher events) {
		this(launcher, address, backOff, stableAfter, events,
				Executors.newSingleThreadScheduledExecutor(EmbeddedRedisSupervisor::daemon));
	}

	EmbeddedRedisSupervisor(Launcher launcher, String address, BackOff backOff, Duration stableAfter,
			ApplicationEventPublisher events, ScheduledExecutorService scheduler) {
		Assert.notNull(launcher, "launcher cannot be null");
		Assert.hasText(address, "address cannot be empty");
		Assert.notNull(backOff, "backOff cannot be null");
		Assert.notNull(stableAfter, "stableAfter cannot be null");
		Assert.notNull(events, "events cannot be null");
		Assert.notNull(scheduler, "scheduler cannot be null");
		this.launcher = launcher;
		this.address = address;
		this.backOff = backOff;
		this.stableAfter = stableAfter;
		this.events = events;
		this.scheduler = scheduler;
	}

	void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Whether the application reaches the server (e.g. a {@code PING} through its own
	 * connections, which waits for them to reconnect): after a restart, readiness is back
	 * only once it does. By default, as soon as the server is ready.
	 */
	void setReachable(BooleanSupplier reachable) {
		Assert.notNull(reachable, "reachable cannot be null");
		this.reachable = reachable;
	}

	/** Starts the server; a failure here fails the application's start. */
	void start() throws IOException {
		Process started = this.launcher.start();
		synchronized (this) {
			this.process = started;
			this.startedAt = this.clock.instant();
		}
		watch(started);
	}

	/**
	 * Stops the server (SIGTERM: redis-server writes out its append-only file and exits)
	 * and restarts nothing from now on.
	 */
	void stop() {
		Process running;
		synchronized (this) {
			this.stopped = true;
			running = this.process;
			this.process = null;
		}
		this.scheduler.shutdownNow();
		try {
			if (running != null) {
				running.destroy();
				if (!running.waitFor(10, TimeUnit.SECONDS)) {
					// it would not write out its file in time: the AOF has every
					// acknowledged write
					running.destroyForcibly();
				}
			}
			this.scheduler.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void watch(Process watched) {
		watched.onExit().thenRunAsync(() -> exited(watched), this.scheduler);
	}

	private void exited(Process exited) {
		Duration ran;
		synchronized (this) {
			if (this.stopped || exited != this.process) {
				return;
			}
			this.process = null;
			ran = Duration.between(this.startedAt, this.clock.instant());
			if (this.restarts == null || ran.compareTo(this.stableAfter) >= 0) {
				this.restarts = this.backOff.start();
			}
		}
		logger.warn("The embedded redis-server on " + this.address + " exited (exit code " + exited.exitValue()
				+ ") after running " + ran.toMillis() + " ms; readiness is down while it is restarted");
		AvailabilityChangeEvent.publish(this.events, this, ReadinessState.REFUSING_TRAFFIC);
		scheduleRestart();
	}

	private void scheduleRestart() {
		long wait;
		synchronized (this) {
			if (this.stopped || this.restarts == null) {
				return;
			}
			wait = this.restarts.nextBackOff();
		}
		if (wait == BackOffExecution.STOP) {
			logger.error("Gave up restarting the embedded redis-server on " + this.address
					+ "; readiness stays down until the application is restarted");
			return;
		}
		this.scheduler.schedule(this::restart, wait, TimeUnit.MILLISECONDS);
	}

	private void restart() {
		synchronized (this) {
			if (this.stopped) {
				return;
			}
		}
		Process started;
		try {
			started = this.launcher.start();
		}
		catch (IOException ex) {
			logger.warn("Could not restart the embedded redis-server on " + this.address + " (" + ex.getMessage()
					+ "); trying again");
			scheduleRestart();
			return;
		}
		synchronized (this) {
			if (this.stopped) {
				started.destroy();
				return;
			}
			this.process = started;
			this.startedAt = this.clock.instant();
		}
		watch(started);
		logger.info("Restarted the embedded redis-server on " + this.address + "; it replayed its append-only file");
		confirmReachable(started);
	}

	/**
	 * Readiness comes back once the application reaches {@code started}; until then, or
	 * until it exits, asked again after {@link #RECHECK}.
	 */
	private void confirmReachable(Process started) {
		if (!isCurrent(started)) {
			return;
		}
		if (!this.reachable.getAsBoolean()) {
			this.scheduler.schedule(() -> confirmReachable(started), RECHECK.toMillis(), TimeUnit.MILLISECONDS);
			return;
		}
		if (isCurrent(started)) {
			logger.info("The application reaches the embedded redis-server on " + this.address
					+ " again; readiness is back up");
			AvailabilityChangeEvent.publish(this.events, this, ReadinessState.ACCEPTING_TRAFFIC);
		}
	}

	private synchronized boolean isCurrent(Process started) {
		return !this.stopped && this.process == started;
	}

	private static Thread daemon(Runnable task) {
		Thread thread = new Thread(task, "embedded-redis-supervisor");
		thread.setDaemon(true);
		return thread;
	}

	/** Starts a redis-server and returns it once it accepts connections. */
	@FunctionalInterface
	interface Launcher {

		Process start() throws IOException;

	}

}
