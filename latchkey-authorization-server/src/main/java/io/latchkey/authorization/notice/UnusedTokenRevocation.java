package io.latchkey.authorization.notice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.authorization.token.RevocationReason;
import io.latchkey.authorization.token.TokenRepository;
import io.latchkey.authorization.token.TokenRevocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * Revokes tokens nobody used for {@code latchkey.tokens.revoke-unused-after}, counted
 * from their last use (from their creation if never used), and tells their owners at each
 * of {@code latchkey.notices.unused-stages} before. The expiry-notice schedule runs it
 * ({@link ExpiryNotifier#runOnce}), at {@code latchkey.notices.check-every}.
 * <p>
 * Each run reads every owner's tokens, a page of owners at a time, in two pipelined round
 * trips per page (the owners' indexes, then each live token's creation, last use, expiry
 * and rotation); introspection writes nothing more than its "last used". Each step of a
 * token's way out (a notice stage, then the revocation) is claimed in the token's record
 * once across every instance, and only while the record still says what the run read: a
 * use recorded meanwhile wins, and starts a new round of notices. A missed run catches up
 * with the stage a token is in now, never with every stage it passed.
 * <p>
 * Where notices have somewhere to go, no token is revoked untold: it is revoked only once
 * the notice of the last (shortest) stage went out at least that stage ago, in this
 * round. A token idle for longer than the limit when the rule is turned on (or whose
 * notices all failed) gets that notice at the next run, and is revoked that stage later
 * if still unused. Without any channel, tokens are revoked at the limit, untold.
 * <p>
 * Left alone: a token rotated into a successor (it stops at the end of its overlap; its
 * successor, made at the rotation, has a clock of its own), an expired token, and a token
 * that expires before it would be revoked (its expiry notices say enough). A token whose
 * owner is disabled or gone gets no notice, and is revoked at the limit all the same.
 *
 * @since 0.1
 */
public final class UnusedTokenRevocation {

	private static final Log logger = LogFactory.getLog(UnusedTokenRevocation.class);

	private static final int OWNERS_PER_PAGE = 200;

	private final UnusedTokenSchedule schedule;

	private final TokenRepository tokens;

	private final OwnerDirectory owners;

	private final TokenRevocation revocation;

	private final List<NoticeChannel> channels;

	private final Duration revokeUnusedAfter;

	private final List<Duration> stages;

	private final Duration retryAfter;

	private final AuditLog audit;

	private Clock clock = Clock.systemUTC();

	/**
	 * @param schedule where tokens' last uses are read and each step claimed
	 * @param tokens where the tokens' records are read
	 * @param owners where the owners' states and addresses are read
	 * @param revocation what revokes a token and its rotation chain
	 * @param channels where notices are delivered (none: tokens are revoked untold)
	 * @param revokeUnusedAfter how long a token may go unused
	 * @param stages how long before the revocation a notice goes out (each shorter than
	 * {@code revokeUnusedAfter}; others are dropped)
	 * @param retryAfter when a notice that could not be delivered, or a revocation that
	 * failed midway, is tried again
	 * @param audit where notices sent are recorded
	 */
	public UnusedTokenRevocation(UnusedTokenSchedule schedule, TokenRepository tokens, OwnerDirectory owners,
			TokenRevocation revocation, List<NoticeChannel> channels, Duration revokeUnusedAfter, List<Duration> stages,
			Duration retryAfter, AuditLog audit) {
		Assert.notNull(schedule, "schedule cannot be null");
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(owners, "owners cannot be null");
		Assert.notNull(revocation, "revocation cannot be null");
		Assert.notNull(channels, "channels cannot be null");
		Assert.isTrue(revokeUnusedAfter.isPositive(), "latchkey.tokens.revoke-unused-after must be positive");
		Assert.notNull(stages, "stages cannot be null");
		Assert.isTrue(retryAfter.isPositive(), "retryAfter must be positive");
		Assert.notNull(audit, "audit cannot be null");
		this.schedule = schedule;
		this.tokens = tokens;
		this.owners = owners;
		this.revocation = revocation;
		this.channels = List.copyOf(channels);
		this.revokeUnusedAfter = revokeUnusedAfter;
		this.stages = stages.stream()
			.filter((stage) -> stage.isPositive() && stage.compareTo(revokeUnusedAfter) < 0)
			.distinct()
			.sorted(Comparator.reverseOrder())
			.toList();
		this.retryAfter = retryAfter;
		this.audit = audit;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * One pass over every owner's tokens: each notice due is sent and each token unused
	 * for too long revoked.
	 * @return how many notices were sent and tokens revoked
	 */
	public int runOnce() {
		int done = 0;
		List<String> everyone = this.schedule.owners();
		for (int from = 0; from < everyone.size(); from += OWNERS_PER_PAGE) {
			List<String> page = everyone.subList(from, Math.min(everyone.size(), from + OWNERS_PER_PAGE));
			Instant now = this.clock.instant();
			Map<String, IdleClock> due = new HashMap<>();
			Map<String, Duration> steps = new HashMap<>();
			for (IdleClock token : this.schedule.clocks(page, now)) {
				due(token, now).ifPresent((step) -> {
					due.put(token.digest(), token);
					steps.put(token.digest(), step);
				});
			}
			if (due.isEmpty()) {
				continue;
			}
			for (PersonalAccessToken record : this.tokens.findAll(new ArrayList<>(due.keySet()))) {
				IdleClock token = due.get(record.digest());
				try {
					if (step(token, record, steps.get(record.digest()), now)) {
						done++;
					}
				}
				catch (RuntimeException ex) {
					logger.warn("Could not handle unused token " + record.id() + " (tried again on a later run): "
							+ ex.getClass().getSimpleName());
				}
			}
		}
		return done;
	}

	/**
	 * What is due for a token at {@code now}: its revocation ({@link Duration#ZERO}), the
	 * notice of a stage (how long before its revocation), or nothing. Where notices have
	 * somewhere to go, a token is revoked only once the notice of the last (shortest)
	 * stage was claimed at least that stage ago in this round; until then that notice is
	 * due (now, if it was never sent: a token long idle when the rule is turned on, or
	 * whose notices failed throughout) and the revocation waits.
	 * @param token the token's clock
	 * @param now the time
	 * @return the step due, if any
	 */
	Optional<Duration> due(IdleClock token, Instant now) {
		Instant revokesAt = token.revokesAt(this.revokeUnusedAfter);
		if (token.rotated() || !now.isBefore(token.expiresAt()) || !token.expiresAt().isAfter(revokesAt)) {
			return Optional.empty();
		}
		if (this.channels.isEmpty() || this.stages.isEmpty()) {
			return now.isBefore(revokesAt) ? Optional.empty() : Optional.of(Duration.ZERO);
		}
		Duration last = this.stages.get(this.stages.size() - 1);
		IdleClock.Step claimed = token.claimed();
		if (claimed != null && claimed.before().isZero()) {
			return Optional.of(Duration.ZERO);
		}
		if (claimed != null && claimed.before().equals(last)) {
			boolean told = !now.isBefore(claimed.at().plus(last));
			return (told && !now.isBefore(revokesAt)) ? Optional.of(Duration.ZERO) : Optional.empty();
		}
		Optional<Duration> stage = Optional.empty();
		for (Duration before : this.stages) {
			if (!now.isBefore(revokesAt.minus(before))) {
				stage = Optional.of(before);
			}
		}
		boolean toldAlready = claimed != null && stage.isPresent() && claimed.before().compareTo(stage.get()) <= 0;
		return toldAlready ? Optional.empty() : stage;
	}

	private boolean step(IdleClock token, PersonalAccessToken record, Duration step, Instant now) {
		if (step.isZero()) {
			return revoke(token, record, now);
		}
		Optional<OwnerState> owner = this.owners.ownerState(record.owner());
		if (owner.isEmpty() || !owner.get().enabled() || !owner.get().uid().equals(record.ownerUid())) {
			return !now.isBefore(token.revokesAt(this.revokeUnusedAfter)) && revoke(token, record, now);
		}
		return notice(token, record, step, now);
	}

	private boolean revoke(IdleClock token, PersonalAccessToken record, Instant now) {
		Optional<String> claimed = this.schedule.claim(token, 0, now, this.retryAfter.toMillis());
		if (claimed.isEmpty()) {
			return false;
		}
		try {
			this.revocation.revoke(record, "system", "schedule", RevocationReason.UNUSED);
		}
		catch (RuntimeException ex) {
			this.schedule.release(token.digest(), claimed.get());
			throw ex;
		}
		return true;
	}

	private boolean notice(IdleClock token, PersonalAccessToken record, Duration before, Instant now) {
		Optional<String> claimed = this.schedule.claim(token, before.toMillis(), now, this.retryAfter.toMillis());
		if (claimed.isEmpty()) {
			return false;
		}
		UnusedNotice notice = new UnusedNotice(record.id(), record.hint(), record.description(), record.owner(),
				record.createdBy(), token.lastUsedAt(), revokesAt(token, now), before,
				NoticeDelivery.recipients(this.owners, record));
		if (!NoticeDelivery.deliver(this.channels, (channel) -> channel.deliver(notice), this.audit, notice.type(),
				record.owner(), record.id(), "stage", stage(before))) {
			this.schedule.release(token.digest(), claimed.get());
			return false;
		}
		return true;
	}

	/**
	 * When a token told at {@code now} is revoked if nobody uses it: when it is due, or
	 * the last stage after {@code now} if it is told that late.
	 */
	private Instant revokesAt(IdleClock token, Instant now) {
		Instant revokesAt = token.revokesAt(this.revokeUnusedAfter);
		Instant lastStageAfterNow = now.truncatedTo(ChronoUnit.MILLIS).plus(this.stages.get(this.stages.size() - 1));
		return lastStageAfterNow.isAfter(revokesAt) ? lastStageAfterNow : revokesAt;
	}

	/** A stage as the audit log shows it: whole days, else the ISO-8601 duration. */
	private static String stage(Duration before) {
		return (before.toSeconds() % 86400 == 0) ? Long.toString(before.toDays()) : before.toString();
	}

}
