package io.latchkey.auth.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.latchkey.auth.Http;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of token creations and revocations through the management API, from several
 * threads, while a fault is injected into Redis: it records what was acknowledged (201,
 * 204), what was refused as unavailable (503) and when, and anything else. Each round
 * also introspects a token whose revocation was acknowledged: it must never come back
 * active. Afterwards the revocations that were not acknowledged are retried, as a caller
 * told 503 would, until each is confirmed.
 */
final class FailoverBurst {

	/** Operations acknowledged in a row, after the fault, that count as recovered. */
	private static final int RECOVERED_AFTER = 20;

	private static final Duration DEADLINE = Duration.ofSeconds(90);

	private final String base;

	private final String username;

	private final String password;

	/** Every token whose creation was acknowledged, with its value. */
	final List<Token> created = new CopyOnWriteArrayList<>();

	/** Ids of tokens whose revocation was acknowledged (also after a retry). */
	final Set<String> revoked = ConcurrentHashMap.newKeySet();

	/**
	 * Values of tokens whose revocation was acknowledged, introspected again and again.
	 */
	private final Queue<String> revokedValues = new ConcurrentLinkedQueue<>();

	/** Revocations answered 503: not acknowledged, so retried after the burst. */
	private final List<Token> unconfirmed = new CopyOnWriteArrayList<>();

	/** Answers other than 201, 204 and 503 with Retry-After: there must be none. */
	final List<String> unexpected = new CopyOnWriteArrayList<>();

	private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

	private final AtomicInteger inARow = new AtomicInteger();

	/** When each acknowledgement arrived (nanoTime). */
	private final Queue<Long> acknowledgedAt = new ConcurrentLinkedQueue<>();

	private volatile long faultAt;

	private volatile long firstUnavailable;

	private volatile long lastUnavailable;

	private volatile boolean stopped;

	FailoverBurst(String base, String username, String password) {
		this.base = base;
		this.username = username;
		this.password = password;
	}

	/**
	 * Runs the burst on {@code threads} threads: once 20 creations are acknowledged, runs
	 * {@code fault} (which may also bring Redis back), then goes on until
	 * {@value #RECOVERED_AFTER} operations in a row are acknowledged.
	 */
	void run(int threads, Runnable fault) throws InterruptedException {
		ExecutorService workers = Executors.newFixedThreadPool(threads);
		for (int i = 0; i < threads; i++) {
			workers.execute(this::work);
		}
		try {
			awaitOrFail(() -> this.created.size() >= 20, "20 acknowledged creations before the fault");
			this.inARow.set(0);
			this.faultAt = System.nanoTime();
			fault.run();
			awaitOrFail(() -> this.inARow.get() >= RECOVERED_AFTER,
					RECOVERED_AFTER + " operations acknowledged in a row after the fault");
		}
		finally {
			this.stopped = true;
			workers.shutdown();
			assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		for (Token token : this.unconfirmed) {
			int status = revoke(token).status();
			assertThat(status).as("a retried revocation is done or finds the token gone").isIn(204, 404);
			this.revoked.add(token.id());
		}
	}

	/** Waits, with a deadline, until {@code done} holds. */
	static void awaitOrFail(BooleanSupplier done, String what) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!done.getAsBoolean()) {
			assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // a poll interval,
																		// not a wait for
																		// an outcome
		}
	}

	/** Whether a request got 503 after the fault. */
	boolean sawUnavailable() {
		return this.firstUnavailable != 0;
	}

	/** Milliseconds from the fault to the last 503 (0 if none). */
	long unavailableMillis() {
		return sawUnavailable() ? TimeUnit.NANOSECONDS.toMillis(this.lastUnavailable - this.faultAt) : 0;
	}

	/** One line of figures for the test's output. */
	String report(String topology) {
		return String.format(
				"FAILOVER %s: acknowledged %d creations and %d revocations "
						+ "(%d of the operations while requests got 503); "
						+ "503 from +%d ms to +%d ms after the kill; answers by status %s",
				topology, this.created.size(), this.revoked.size(), acknowledgedDuringOutage(),
				sawUnavailable() ? TimeUnit.NANOSECONDS.toMillis(this.firstUnavailable - this.faultAt) : 0,
				unavailableMillis(), this.statuses);
	}

	/** Acknowledgements that arrived between the fault and the last 503. */
	long acknowledgedDuringOutage() {
		return this.acknowledgedAt.stream().filter((at) -> at >= this.faultAt && at <= this.lastUnavailable).count();
	}

	private void work() {
		List<Token> mine = new ArrayList<>();
		while (!this.stopped) {
			introspectRevoked();
			Http.Response answer = Http.post(this.base + "/api/me/tokens")
				.basic(this.username, this.password)
				.json("{}")
				.send();
			if (record(answer, 201)) {
				Token token = new Token(answer.json().get("id").asString(), answer.json().get("token").asString());
				this.created.add(token);
				mine.add(token);
			}
			if (mine.size() >= 2) {
				Token oldest = mine.remove(0);
				Http.Response revoked = revoke(oldest);
				if (record(revoked, 204)) {
					this.revoked.add(oldest.id());
					this.revokedValues.add(oldest.value());
				}
				else if (revoked.status() == 503) {
					this.unconfirmed.add(oldest);
				}
			}
		}
	}

	/**
	 * A revoked token is never answered active, also while Redis fails over: inactive or
	 * 503.
	 */
	private void introspectRevoked() {
		String value = this.revokedValues.peek();
		if (value == null) {
			return;
		}
		Http.Response answer = Http.post(this.base + "/oauth2/introspect")
			.basic("resource-api", "resource-api-test-secret")
			.form(Map.of("token", value))
			.send();
		boolean inactive = answer.status() == 200 && answer.body().equals("{\"active\":false}");
		boolean unavailable = answer.status() == 503 && answer.header("Retry-After") != null;
		if (!inactive && !unavailable) {
			this.unexpected.add("introspection of a revoked token: " + answer.status() + " " + answer.body());
		}
	}

	private Http.Response revoke(Token token) {
		return Http.delete(this.base + "/api/me/tokens/" + token.id()).basic(this.username, this.password).send();
	}

	/** Records an answer; true if it is the acknowledgement {@code expected}. */
	private boolean record(Http.Response answer, int expected) {
		long now = System.nanoTime();
		this.statuses.computeIfAbsent(answer.status(), (status) -> new AtomicInteger()).incrementAndGet();
		if (answer.status() == expected) {
			this.inARow.incrementAndGet();
			this.acknowledgedAt.add(now);
			return true;
		}
		this.inARow.set(0);
		if (answer.status() == 503 && answer.header("Retry-After") != null && !answer.body().contains("Exception")) {
			if (this.faultAt != 0) {
				if (this.firstUnavailable == 0) {
					this.firstUnavailable = now;
				}
				this.lastUnavailable = now;
			}
		}
		else {
			this.unexpected.add(answer.status() + " " + answer.body());
		}
		return false;
	}

	/** A token whose creation was acknowledged. */
	record Token(String id, String value) {
	}

}
