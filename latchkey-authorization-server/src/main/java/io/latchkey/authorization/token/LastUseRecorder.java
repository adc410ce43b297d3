package io.latchkey.authorization.token;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.latchkey.core.cache.ClockTicker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * "Last used" and the recent client addresses without a round trip on the request path: a
 * verification only notes the use (at most once per token, and once per token and
 * address, per interval on this instance), and a background thread writes the notes in
 * one batch every {@code flushEvery}, oldest first. The store writes a use only if the
 * token's recorded one is older than the interval, so several instances write at most
 * once per token per interval.
 */
public final class LastUseRecorder implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(LastUseRecorder.class);

	private final TokenRepository tokens;

	private final Duration interval;

	private final Duration flushEvery;

	private final Map<String, LastUse> pending = new ConcurrentHashMap<>();

	private final Cache<String, Boolean> noted;

	private @Nullable ScheduledExecutorService flusher;

	public LastUseRecorder(TokenRepository tokens, Duration interval, Duration flushEvery, Clock clock) {
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.tokens = tokens;
		this.interval = interval;
		this.flushEvery = flushEvery;
		this.noted = Caffeine.newBuilder()
			.maximumSize(100_000)
			.ticker(new ClockTicker(clock))
			.expireAfterWrite(interval)
			.build();
	}

	/**
	 * Notes a use of the token, unless one from the same address was noted within the
	 * interval (here or, as stored, anywhere).
	 */
	void record(PersonalAccessToken token, LastUse use) {
		if (isRecorded(token, use, this.interval)) {
			return;
		}
		boolean lastUse = this.noted.asMap().putIfAbsent(use.digest(), Boolean.TRUE) == null;
		boolean address = use.address() != null
				&& this.noted.asMap().putIfAbsent(use.digest() + " " + use.address(), Boolean.TRUE) == null;
		if (lastUse || address) {
			this.pending.put(use.digest() + " " + use.address(), use);
		}
	}

	/**
	 * Whether the stored record already holds this use (its time and address) within the
	 * interval.
	 */
	static boolean isRecorded(PersonalAccessToken token, LastUse use, Duration interval) {
		boolean lastUseFresh = token.lastUsedAt() != null && use.at().isBefore(token.lastUsedAt().plus(interval));
		if (!lastUseFresh) {
			return false;
		}
		return use.address() == null || token.recentUses()
			.stream()
			.anyMatch((recent) -> recent.address().equals(use.address())
					&& use.at().isBefore(recent.at().plus(interval)));
	}

	/** Writes the uses noted so far, in one batch. */
	public void flush() {
		if (this.pending.isEmpty()) {
			return;
		}
		List<LastUse> batch = new ArrayList<>();
		for (String key : this.pending.keySet()) {
			LastUse use = this.pending.remove(key);
			if (use != null) {
				batch.add(use);
			}
		}
		batch.sort(Comparator.comparing(LastUse::at));
		try {
			this.tokens.touchAll(batch, this.interval);
		}
		catch (RuntimeException ex) {
			logger.warn(
					"Could not record the last use of " + batch.size() + " token(s): " + ex.getClass().getSimpleName());
		}
	}

	@Override
	public synchronized void start() {
		if (this.flusher == null) {
			this.flusher = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "latchkey-last-use");
				thread.setDaemon(true);
				return thread;
			});
			long every = this.flushEvery.toMillis();
			this.flusher.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.flusher != null) {
			this.flusher.shutdown();
			this.flusher = null;
			flush();
		}
	}

	@Override
	public boolean isRunning() {
		return this.flusher != null;
	}

}
