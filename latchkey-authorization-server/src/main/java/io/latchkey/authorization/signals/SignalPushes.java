package io.latchkey.authorization.signals;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Push delivery (RFC 8935): each stream's events are posted in order, as
 * {@code application/secevent+jwt} with the {@code Authorization} header its receiver
 * configured, to its URL, which must still be one the administrator allows. An event
 * leaves the stream when the receiver answers 202 (or 400: it refused that event, and
 * sending it again would change nothing); any other answer, or none, is tried again with
 * backoff (doubling from {@code backoff}), and after {@code maxAttempts} the stream waits
 * {@code retryAfter} before the next try. Nothing is lost meanwhile: the events stay in
 * Redis, across restarts. Any instance may push; a lease in Redis lets one at a time push
 * a given stream, so that each event goes out once (barring a receiver whose 202 was
 * lost, which RFC 8935 leaves to the {@code jti}); an instance that stops gives its
 * leases up. Redirects are never followed. A stream
 * that lost events gets its {@code stream-updated} notice first, until accepted
 * ({@link LostEvents}).
 *
 * @since 0.1
 */
public final class SignalPushes implements SmartLifecycle {

	/** The events one run posts to one stream at most. */
	private static final int BATCH = 100;

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final Logger logger = LoggerFactory.getLogger(SignalPushes.class);

	private final SignalStreams streams;

	private final LostEvents lost;

	private final List<String> receivers;

	private final PushUrls pushUrls;

	private final int maxAttempts;

	private final Duration backoff;

	private final Duration retryAfter;

	private final Duration every;

	private final String instance = UUID.randomUUID().toString();

	private final Map<String, Failures> failures = new ConcurrentHashMap<>();

	private final AtomicBoolean woken = new AtomicBoolean();

	private final Object running = new Object();

	private HttpClient http = HttpClient.newBuilder()
		.connectTimeout(TIMEOUT)
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private Clock clock = Clock.systemUTC();

	private volatile @Nullable ScheduledExecutorService runner;

	/**
	 * @param streams the streams and their events
	 * @param lost the notices of lost events, pushed first
	 * @param receivers the clients allowed a stream
	 * @param pushUrls where events may go
	 * @param maxAttempts deliveries tried before {@code retryAfter}
	 * @param backoff the first wait between deliveries, doubling
	 * @param retryAfter the wait after {@code maxAttempts} failed deliveries
	 * @param every how often streams are looked at
	 */
	public SignalPushes(SignalStreams streams, LostEvents lost, List<String> receivers, PushUrls pushUrls,
			int maxAttempts, Duration backoff, Duration retryAfter, Duration every) {
		Assert.notNull(streams, "streams cannot be null");
		Assert.notNull(lost, "lost cannot be null");
		Assert.notNull(receivers, "receivers cannot be null");
		Assert.notNull(pushUrls, "pushUrls cannot be null");
		Assert.isTrue(maxAttempts > 0, "maxAttempts must be positive");
		this.streams = streams;
		this.lost = lost;
		this.receivers = List.copyOf(receivers);
		this.pushUrls = pushUrls;
		this.maxAttempts = maxAttempts;
		this.backoff = backoff;
		this.retryAfter = retryAfter;
		this.every = every;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	public void setHttpClient(HttpClient http) {
		Assert.notNull(http, "http cannot be null");
		this.http = http;
	}

	/** Pushes at once what was just kept, rather than at the next run. */
	public void wake() {
		ScheduledExecutorService current = this.runner;
		if (current != null && this.woken.compareAndSet(false, true)) {
			try {
				current.execute(this::runSafely);
			}
			catch (RejectedExecutionException ex) {
				// stopping: the events stay for the next instance
			}
		}
	}

	/**
	 * One run: every enabled push stream whose lease this instance holds gets its waiting
	 * events, unless it is backing off. Answers how many events were delivered. Runs of
	 * one instance never overlap (the lease is the instance's, not the thread's).
	 */
	public int runOnce() {
		synchronized (this.running) {
			return runEach();
		}
	}

	private int runEach() {
		this.woken.set(false);
		int delivered = 0;
		for (String receiver : this.receivers) {
			SignalStream stream = this.streams.find(receiver).orElse(null);
			if (stream == null || !stream.delivery().isPush() || stream.status() != StreamStatus.ENABLED) {
				continue;
			}
			Failures failed = failures(stream);
			if (failed != null && this.clock.instant().isBefore(failed.nextAttempt())) {
				continue;
			}
			if (!this.pushUrls.allows(stream.delivery().endpointUrl())) {
				logger.warn("Events for client '{}' are not pushed: its URL is no longer allowed", receiver);
				continue;
			}
			if (!this.streams.lease(receiver, this.instance, LEASE)) {
				continue;
			}
			try {
				delivered += push(stream);
			}
			catch (RuntimeException ex) {
				// never the message: it may quote the Authorization header
				logger.warn("Events for client '{}' could not be pushed ({})", receiver, ex.getClass().getSimpleName());
				failed(receiver, -1);
			}
		}
		return delivered;
	}

	private int push(SignalStream stream) {
		int delivered = 0;
		List<SignalStreams.Pending> sets = new ArrayList<>();
		this.lost.owed(stream).ifPresent(sets::add);
		sets.addAll(this.streams.pending(stream.receiver(), BATCH));
		for (SignalStreams.Pending set : sets) {
			int status = post(stream, set);
			if (status == 202 || status == 400) {
				this.streams.acknowledge(stream.receiver(), List.of(set.jti()));
				this.failures.remove(stream.receiver());
				delivered++;
			}
			else {
				failed(stream, status);
				break;
			}
		}
		return delivered;
	}

	private int post(SignalStream stream, SignalStreams.Pending set) {
		HttpRequest.Builder request = HttpRequest.newBuilder(stream.delivery().endpointUrl())
			.timeout(TIMEOUT)
			.header("Content-Type", "application/" + SecurityEventTokens.TYPE)
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(set.set()));
		if (stream.delivery().authorizationHeader() != null) {
			request.header("Authorization", stream.delivery().authorizationHeader());
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/**
	 * The failures of pushes to this stream at its current URL: a stream created anew, or
	 * pointed elsewhere, starts without them.
	 */
	private @Nullable Failures failures(SignalStream stream) {
		Failures failed = this.failures.get(stream.receiver());
		return (failed != null && failed.target().equals(target(stream))) ? failed : null;
	}

	private void failed(SignalStream stream, int status) {
		String receiver = stream.receiver();
		Failures before = failures(stream);
		int attempts = (before != null) ? before.attempts() + 1 : 1;
		Instant now = this.clock.instant();
		Failures after = (attempts >= this.maxAttempts) ? new Failures(target(stream), 0, now.plus(this.retryAfter))
				: new Failures(target(stream), attempts,
						now.plus(this.backoff.multipliedBy(1L << Math.min(attempts - 1, 20))));
		this.failures.put(receiver, after);
		logger.warn("Events for client '{}' could not be pushed ({}); tried again after {}", receiver,
				(status < 0) ? "no answer" : "HTTP " + status, after.nextAttempt());
	}

	private void runSafely() {
		try {
			runOnce();
		}
		catch (RuntimeException ex) {
			logger.warn("Shared Signals pushes could not run (they are tried again): " + ex.getClass().getSimpleName());
		}
	}

	@Override
	public synchronized void start() {
		if (this.runner == null) {
			this.runner = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "latchkey-signals-push");
				thread.setDaemon(true);
				return thread;
			});
			long millis = Math.max(this.every.toMillis(), 10);
			this.runner.scheduleWithFixedDelay(this::runSafely, millis, millis, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Stops pushing once the run under way ended, and gives up this instance's leases, so
	 * that another instance (or this one restarted) pushes at once rather than after the
	 * lease expired.
	 */
	@Override
	public synchronized void stop() {
		ScheduledExecutorService current = this.runner;
		if (current != null) {
			this.runner = null;
			current.shutdownNow();
			try {
				current.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		synchronized (this.running) {
			for (String receiver : this.receivers) {
				try {
					this.streams.release(receiver, this.instance);
				}
				catch (RuntimeException ex) {
					logger.warn("The push lease of client '{}' could not be given up (it expires): {}", receiver,
							ex.getClass().getSimpleName());
				}
			}
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.runner != null;
	}

	private static String target(SignalStream stream) {
		return stream.id() + " " + stream.delivery().endpointUrl();
	}

	/**
	 * How many deliveries to a stream failed in a row, and when the next is tried.
	 *
	 * @param target the stream and URL they failed for
	 */
	private record Failures(String target, int attempts, Instant nextAttempt) {

	}

}
