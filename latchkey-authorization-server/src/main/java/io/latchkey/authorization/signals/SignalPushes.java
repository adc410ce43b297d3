package io.latchkey.authorization.signals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * Redis, across restarts. Each stream is pushed on its own (virtual) thread, and one
 * event's delivery, answer included, is cut off after a timeout: a slow receiver delays
 * only its own stream. Any instance may push; a lease in Redis, renewed before each event
 * and released after, lets one at a time push a given stream, so that each event goes out
 * once (barring a receiver whose 202 was lost, which RFC 8935 leaves to the {@code jti}).
 * Redirects are never followed. A stream that lost events gets its {@code stream-updated}
 * notice first, until accepted ({@link LostEvents}).
 *
 * @since 0.1
 */
public final class SignalPushes implements SmartLifecycle {

	/** The events one run posts to one stream at most. */
	private static final int BATCH = 100;

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final Duration LEASE = Duration.ofSeconds(30);

	/** The most of a receiver's answer read (and dropped). */
	private static final long MAX_BODY = 64 * 1024;

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

	/** The streams being pushed now, by this instance: one push per stream at a time. */
	private final Map<String, CompletableFuture<Integer>> pushing = new ConcurrentHashMap<>();

	/**
	 * The streams woken while being pushed: their push may have read its events before
	 * the new one was kept, so it looks again rather than leave it for the next run.
	 */
	private final Set<String> again = ConcurrentHashMap.newKeySet();

	/** One virtual thread per stream being pushed: at most one per allowed client. */
	private final ExecutorService pushers = Executors
		.newThreadPerTaskExecutor(Thread.ofVirtual().name("latchkey-signals-push-", 0).factory());

	private Duration timeout = TIMEOUT;

	private HttpClient http = HttpClient.newBuilder()
		.connectTimeout(TIMEOUT)
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private Clock clock = Clock.systemUTC();

	private @Nullable ScheduledExecutorService runner;

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

	/**
	 * How long one event's delivery may take, from the request to the end of the answer
	 * (default 5 s); shorter than the 30 s lease, which is renewed before each event.
	 */
	public void setTimeout(Duration timeout) {
		Assert.isTrue(timeout.isPositive() && timeout.compareTo(LEASE) < 0,
				"timeout must be positive and shorter than " + LEASE);
		this.timeout = timeout;
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
	 * events, unless it is backing off, each stream on its own thread, so that a slow
	 * receiver delays only itself. Waits for them, and for pushes this instance had under
	 * way already (whose outcome, a failure's backoff included, is then recorded), and
	 * answers how many events this run delivered.
	 */
	public int runOnce() {
		for (CompletableFuture<Integer> running : List.copyOf(this.pushing.values())) {
			running.handle((delivered, failure) -> 0).join();
		}
		return dispatch().stream()
			.mapToInt((run) -> run.handle((delivered, failure) -> (delivered != null) ? delivered : 0).join())
			.sum();
	}

	/**
	 * Starts a push of every stream not being pushed already; waits for none. A stream
	 * being pushed is answered by the push under way, counting none of its events.
	 */
	private List<CompletableFuture<Integer>> dispatch() {
		this.woken.set(false);
		List<CompletableFuture<Integer>> runs = new ArrayList<>();
		for (String receiver : this.receivers) {
			CompletableFuture<Integer> started = new CompletableFuture<>();
			CompletableFuture<Integer> running = this.pushing.putIfAbsent(receiver, started);
			if (running != null) {
				this.again.add(receiver);
				runs.add(running.handle((delivered, failure) -> 0));
				continue;
			}
			try {
				CompletableFuture.supplyAsync(() -> pushUntilQuiet(receiver), this.pushers)
					.whenComplete((delivered, failure) -> {
						this.pushing.remove(receiver, started);
						started.complete((delivered != null) ? delivered : 0);
						if (this.again.remove(receiver)) {
							wake();
						}
					});
				runs.add(started);
			}
			catch (RejectedExecutionException ex) {
				this.pushing.remove(receiver, started);
				started.complete(0);
			}
		}
		return runs;
	}

	/**
	 * Pushes a stream, and again for as long as it was woken meanwhile: an event kept
	 * while its stream is being pushed goes out with this push, not at the next run.
	 */
	private int pushUntilQuiet(String receiver) {
		this.again.remove(receiver);
		int delivered = pushSafely(receiver);
		while (this.again.remove(receiver)) {
			delivered += pushSafely(receiver);
		}
		return delivered;
	}

	private int pushSafely(String receiver) {
		SignalStream stream = null;
		try {
			stream = this.streams.find(receiver).orElse(null);
			if (stream == null || !stream.delivery().isPush() || stream.status() != StreamStatus.ENABLED) {
				return 0;
			}
			Failures failed = failures(stream);
			if (failed != null && this.clock.instant().isBefore(failed.nextAttempt())) {
				return 0;
			}
			if (!this.pushUrls.allows(stream.delivery().endpointUrl())) {
				logger.warn("Events for client '{}' are not pushed: its URL is no longer allowed", receiver);
				return 0;
			}
			if (!this.streams.lease(receiver, this.instance, LEASE)) {
				return 0;
			}
			try {
				return push(stream);
			}
			finally {
				this.streams.release(receiver, this.instance);
			}
		}
		catch (RuntimeException ex) {
			// never the message: it may quote the Authorization header
			logger.warn("Events for client '{}' could not be pushed ({})", receiver, ex.getClass().getSimpleName());
			if (stream != null) {
				failed(stream, -1);
			}
			return 0;
		}
	}

	private int push(SignalStream stream) {
		int delivered = 0;
		List<SignalStreams.Pending> sets = new ArrayList<>();
		this.lost.owed(stream).ifPresent(sets::add);
		sets.addAll(this.streams.pending(stream.receiver(), BATCH));
		for (SignalStreams.Pending set : sets) {
			if (!this.streams.lease(stream.receiver(), this.instance, LEASE)) {
				break;
			}
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

	/**
	 * Posts one event; answers the status, or -1 when there was none within the timeout,
	 * headers and body together (a receiver trickling its body is cut off).
	 */
	private int post(SignalStream stream, SignalStreams.Pending set) {
		HttpRequest.Builder request = HttpRequest.newBuilder(stream.delivery().endpointUrl())
			.timeout(this.timeout)
			.header("Content-Type", "application/" + SecurityEventTokens.TYPE)
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(set.set()));
		if (stream.delivery().authorizationHeader() != null) {
			request.header("Authorization", stream.delivery().authorizationHeader());
		}
		CompletableFuture<HttpResponse<Void>> response = this.http.sendAsync(request.build(),
				(info) -> new LimitedDiscard());
		try {
			return response.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
		}
		catch (TimeoutException | ExecutionException ex) {
			response.cancel(true);
			return -1;
		}
		catch (InterruptedException ex) {
			response.cancel(true);
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/**
	 * The failures of pushes to this stream at its current URL and header: a stream
	 * created anew, pointed elsewhere or given a new header starts without them.
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
			dispatch();
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

	@Override
	public synchronized void stop() {
		if (this.runner != null) {
			this.runner.shutdownNow();
			this.runner = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.runner != null;
	}

	/**
	 * Reads and drops a response body, at most {@link #MAX_BODY} bytes of it: the answer
	 * is its status.
	 */
	private static final class LimitedDiscard implements HttpResponse.BodySubscriber<Void> {

		private final CompletableFuture<Void> body = new CompletableFuture<>();

		private long left = MAX_BODY;

		private Flow.@Nullable Subscription subscription;

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(List<ByteBuffer> items) {
			for (ByteBuffer item : items) {
				this.left -= item.remaining();
			}
			Flow.Subscription current = this.subscription;
			if (this.left < 0 && current != null) {
				current.cancel();
				this.body.complete(null);
			}
		}

		@Override
		public void onError(Throwable failure) {
			this.body.completeExceptionally(failure);
		}

		@Override
		public void onComplete() {
			this.body.complete(null);
		}

		@Override
		public CompletionStage<Void> getBody() {
			return this.body;
		}

	}

	/**
	 * The stream, its URL and its header (as a hash, in memory only): a receiver that
	 * comes back with a new secret is not held back by failures under the old one.
	 */
	private static String target(SignalStream stream) {
		return stream.id() + " " + stream.delivery().endpointUrl() + " "
				+ Objects.hashCode(stream.delivery().authorizationHeader());
	}

	/**
	 * How many deliveries to a stream failed in a row, and when the next is tried.
	 *
	 * @param target the stream and URL they failed for
	 */
	private record Failures(String target, int attempts, Instant nextAttempt) {

	}

}
