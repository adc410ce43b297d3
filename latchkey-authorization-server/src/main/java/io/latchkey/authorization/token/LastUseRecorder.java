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
import io.latchkey.core.AddressRange;
import io.latchkey.core.cache.ClockTicker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * "Last used" and the recent client addresses without a round trip on the request path: a
 * verification only notes the use (at most once per token, and once per token and
 * address, per interval on this instance), and a background thread writes the notes in
 * one batch every {@code flushEvery}, oldest first. The store writes a use only if the
 * token's recorded one is older than the interval, so several instances write at most
 * once per token per interval.
 * <p>
 * The same write tells whether an address was among the token's recent ones: a use from
 * outside all of their networks ({@link AddressRange#network}) is announced as
 * {@link TokenUsedFromNewAddress}, from the background thread, once across instances. A
 * use from a known address costs nothing more than before.
 */
public final class LastUseRecorder implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(LastUseRecorder.class);

	private final TokenRepository tokens;

	private final Duration interval;

	private final Duration flushEvery;

	private final Map<String, Noted> pending = new ConcurrentHashMap<>();

	private final Cache<String, Boolean> noted;

	private @Nullable ScheduledExecutorService flusher;

	private @Nullable ApplicationEventPublisher events;

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
	 * Where uses from a new address are announced ({@link TokenUsedFromNewAddress});
	 * without it they are not looked for.
	 * @param events the application's event publisher
	 */
	public void setEvents(ApplicationEventPublisher events) {
		Assert.notNull(events, "events cannot be null");
		this.events = events;
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
			this.pending.put(use.digest() + " " + use.address(), new Noted(token, use));
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

	/**
	 * Writes the uses noted so far, in one batch, and announces those from a new address.
	 */
	public void flush() {
		if (this.pending.isEmpty()) {
			return;
		}
		List<Noted> batch = new ArrayList<>();
		for (String key : this.pending.keySet()) {
			Noted noted = this.pending.remove(key);
			if (noted != null) {
				batch.add(noted);
			}
		}
		batch.sort(Comparator.comparing((Noted noted) -> noted.use().at()));
		Map<LastUse, List<String>> unseen;
		try {
			unseen = this.tokens.touchAll(batch.stream().map(Noted::use).toList(), this.interval);
		}
		catch (RuntimeException ex) {
			logger.warn(
					"Could not record the last use of " + batch.size() + " token(s): " + ex.getClass().getSimpleName());
			return;
		}
		ApplicationEventPublisher events = this.events;
		if (events == null || unseen.isEmpty()) {
			return;
		}
		for (Noted noted : batch) {
			List<String> before = unseen.get(noted.use());
			TokenUsedFromNewAddress news = (before != null) ? newAddress(noted, before) : null;
			if (news != null) {
				try {
					events.publishEvent(news);
				}
				catch (RuntimeException ex) {
					logger.warn("Could not announce the use of token " + noted.token().id() + " from a new address: "
							+ ex.getClass().getSimpleName());
				}
			}
		}
	}

	/**
	 * The use as news, or null if its address lies in the network of one recorded before
	 * it (or is no address literal).
	 */
	static @Nullable TokenUsedFromNewAddress newAddress(Noted noted, List<String> before) {
		String address = noted.use().address();
		AddressRange network = AddressRange.network(address);
		if (address == null || network == null || before.stream().anyMatch(network::contains)) {
			return null;
		}
		String canonical = AddressRange.canonical(address);
		return new TokenUsedFromNewAddress(noted.token(), (canonical != null) ? canonical : address, network.toString(),
				noted.use().at(), before.isEmpty());
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

	/** A use noted, with the token record it was verified against. */
	record Noted(PersonalAccessToken token, LastUse use) {
	}

}
