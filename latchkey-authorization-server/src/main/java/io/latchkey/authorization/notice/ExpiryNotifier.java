package io.latchkey.authorization.notice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.authorization.token.TokenRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Sends each token's expiry notices: at each stage before its expiry (by default 30, 7
 * and 1 days) and once it has expired. Every token sits on a schedule in the store, due
 * when its next notice is; each run takes what is due, claims the stage in the store (so
 * that with several instances each stage goes out once), delivers it on every channel,
 * and schedules the next stage. A run that was missed (the server was down) catches up
 * with the stage each token is in now, never with every stage it passed; a notice that
 * could not be delivered is tried again after {@code retryAfter}. A token gets no notice
 * of a stage it was generated in (a 30-day token is not told at once that it expires in
 * 30 days). Rotated tokens, and tokens whose owner is gone or disabled, get none. With
 * {@code latchkey.tokens.revoke-unused-after} set, each run also revokes the tokens
 * nobody used for that long, and tells their owners before
 * ({@link UnusedTokenRevocation}).
 *
 * @since 0.1
 */
public final class ExpiryNotifier implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ExpiryNotifier.class);

	private static final int BATCH = 200;

	private static final int MAX_BATCHES_PER_RUN = 50;

	private final TokenRepository tokens;

	private final ExpiryNoticeSchedule schedule;

	private final OwnerDirectory owners;

	private final List<NoticeChannel> channels;

	private final List<Integer> stages;

	private final Duration retryAfter;

	private final Duration checkEvery;

	private final AuditLog audit;

	private Clock clock = Clock.systemUTC();

	private Counter sent;

	private Counter failed;

	private @Nullable ScheduledExecutorService runner;

	private @Nullable UnusedTokenRevocation unused;

	/**
	 * @param tokens where the tokens' records are read
	 * @param schedule when each token's next notice is due
	 * @param owners where the owners' states and addresses are read
	 * @param channels where notices are delivered
	 * @param stages days before expiry at which a notice goes out (each at least 1)
	 * @param checkEvery how often the schedule is read
	 * @param retryAfter when a notice that could not be delivered is tried again
	 * @param audit where notices sent are recorded
	 */
	public ExpiryNotifier(TokenRepository tokens, ExpiryNoticeSchedule schedule, OwnerDirectory owners,
			List<NoticeChannel> channels, List<Duration> stages, Duration checkEvery, Duration retryAfter,
			AuditLog audit) {
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(schedule, "schedule cannot be null");
		Assert.notNull(owners, "owners cannot be null");
		Assert.notNull(channels, "channels cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		this.tokens = tokens;
		this.schedule = schedule;
		this.owners = owners;
		this.channels = List.copyOf(channels);
		this.stages = stages.stream()
			.map(Duration::toDays)
			.filter((days) -> days > 0)
			.map(Long::intValue)
			.distinct()
			.sorted(Comparator.reverseOrder())
			.toList();
		this.checkEvery = checkEvery;
		this.retryAfter = retryAfter;
		this.audit = audit;
		setMeterRegistry(new CompositeMeterRegistry());
	}

	/**
	 * Counts notices in {@code meters} as {@code latchkey.notices}, by {@code outcome}:
	 * {@code sent} (every channel delivered it), {@code failed} (a channel could not; it
	 * is tried again after {@code retryAfter}).
	 * @param meters where the counts go
	 */
	public void setMeterRegistry(MeterRegistry meters) {
		Assert.notNull(meters, "meters cannot be null");
		this.sent = outcome(meters, "sent");
		this.failed = outcome(meters, "failed");
	}

	private static Counter outcome(MeterRegistry meters, String outcome) {
		return Counter.builder("latchkey.notices")
			.description("Expiry notices delivered, or not delivered and tried again later")
			.tag("outcome", outcome)
			.register(meters);
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Revokes unused tokens (and tells their owners before) on each run, after the expiry
	 * notices; the notifier then runs even without channels.
	 * @param unused what revokes unused tokens, or null for none
	 */
	public void setUnusedTokenRevocation(@Nullable UnusedTokenRevocation unused) {
		this.unused = unused;
	}

	/** The earliest stage: how long before expiry a new token's first notice is due. */
	public static Duration firstNoticeLead(List<Duration> stages) {
		return stages.stream().max(Comparator.naturalOrder()).orElse(Duration.ZERO);
	}

	/**
	 * One run: every expiry notice due now, then (if configured) every unused token's
	 * notice or revocation due now. Answers how many expiry notices were delivered.
	 */
	public int runOnce() {
		int delivered = expiryNotices();
		if (this.unused != null) {
			try {
				this.unused.runOnce();
			}
			catch (RuntimeException ex) {
				logger.warn("Unused tokens could not be checked (they are on the next run): "
						+ ex.getClass().getSimpleName());
			}
		}
		return delivered;
	}

	private int expiryNotices() {
		int delivered = 0;
		if (this.channels.isEmpty()) {
			return delivered;
		}
		Set<String> seen = new HashSet<>();
		for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
			Instant now = this.clock.instant();
			List<String> due = new ArrayList<>(this.schedule.noticesDue(now, BATCH));
			due.removeAll(seen);
			if (due.isEmpty()) {
				break;
			}
			seen.addAll(due);
			List<PersonalAccessToken> records = this.tokens.findAll(due);
			Set<String> found = new HashSet<>();
			for (PersonalAccessToken token : records) {
				found.add(token.digest());
				try {
					if (handle(token, now)) {
						delivered++;
					}
				}
				catch (RuntimeException ex) {
					this.schedule.scheduleNotice(token.digest(), now.plus(this.retryAfter));
					logger.warn("Could not handle the expiry notice of token " + token.id() + ": "
							+ ex.getClass().getSimpleName());
				}
			}
			due.stream().filter((digest) -> !found.contains(digest)).forEach(this.schedule::unschedule);
		}
		return delivered;
	}

	private boolean handle(PersonalAccessToken token, Instant now) {
		Optional<OwnerState> owner = this.owners.ownerState(token.owner());
		if (token.rotatedTo() != null || owner.isEmpty() || !owner.get().enabled()
				|| !owner.get().uid().equals(token.ownerUid())) {
			this.schedule.unschedule(token.digest());
			return false;
		}
		int stage = stage(token.expiresAt(), now);
		if (stage < 0) {
			this.schedule.scheduleNotice(token.digest(), token.expiresAt().minus(Duration.ofDays(this.stages.get(0))));
			return false;
		}
		if (stage > 0 && token.expiresAt().minus(Duration.ofDays(stage)).isBefore(token.createdAt())) {
			scheduleNext(token, stage);
			return false;
		}
		Optional<String> claimed = this.schedule.claimNotice(token.digest(), stage);
		if (claimed.isEmpty()) {
			scheduleNext(token, stage);
			return false;
		}
		ExpiryNotice notice = new ExpiryNotice(token.id(), token.hint(), token.description(), token.owner(),
				token.createdBy(), token.expiresAt(), stage, NoticeDelivery.recipients(this.owners, token));
		if (!NoticeDelivery.deliver(this.channels, (channel) -> channel.deliver(notice), this.audit, notice.type(),
				token.owner(), token.id(), "stage", Integer.toString(stage))) {
			this.failed.increment();
			this.schedule.releaseNotice(token.digest(), claimed.get());
			this.schedule.scheduleNotice(token.digest(), now.plus(this.retryAfter));
			return false;
		}
		this.sent.increment();
		scheduleNext(token, stage);
		return true;
	}

	/**
	 * The stage a token is in at {@code now}: days of the latest stage reached, 0 once
	 * expired, -1 before any.
	 */
	int stage(Instant expiresAt, Instant now) {
		if (!now.isBefore(expiresAt)) {
			return 0;
		}
		int current = -1;
		for (int days : this.stages) {
			if (!now.isBefore(expiresAt.minus(Duration.ofDays(days)))) {
				current = days;
			}
		}
		return current;
	}

	private void scheduleNext(PersonalAccessToken token, int stage) {
		if (stage == 0) {
			this.schedule.unschedule(token.digest());
			return;
		}
		Instant next = token.expiresAt();
		for (int days : this.stages) {
			if (days < stage) {
				next = token.expiresAt().minus(Duration.ofDays(days));
				break;
			}
		}
		this.schedule.scheduleNotice(token.digest(), next);
	}

	@Override
	public synchronized void start() {
		if (this.runner == null) {
			this.runner = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "latchkey-expiry-notices");
				thread.setDaemon(true);
				return thread;
			});
			long every = this.checkEvery.toMillis();
			long first = Math.min(every, Duration.ofMinutes(1).toMillis());
			this.runner.scheduleWithFixedDelay(this::runSafely, first, every, TimeUnit.MILLISECONDS);
		}
	}

	private void runSafely() {
		try {
			runOnce();
		}
		catch (RuntimeException ex) {
			logger
				.warn("Expiry notices could not run (they catch up on the next run): " + ex.getClass().getSimpleName());
		}
	}

	@Override
	public synchronized void stop() {
		if (this.runner != null) {
			this.runner.shutdownNow();
			this.runner = null;
		}
	}

	/**
	 * Runs only where notices have somewhere to go, or where unused tokens are revoked.
	 */
	@Override
	public boolean isAutoStartup() {
		return !this.channels.isEmpty() || this.unused != null;
	}

	@Override
	public boolean isRunning() {
		return this.runner != null;
	}

}
