package io.latchkey.authorization.leak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.latchkey.authorization.notice.LeakNotifier;
import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.authorization.token.RevocationReason;
import io.latchkey.authorization.token.TokenRevocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.util.Assert;

/**
 * Acts on reports of leaked tokens: each reported string that is one of ours (its
 * checksum holds and its record exists) is revoked with every token it was rotated into,
 * audited with {@code reason=reported}, and its owner told. Every string of a report is
 * revoked before any notice of it is sent, each on its own (a storage failure is retried
 * a few times with backoff, then that string is given up and the others go on), and the
 * notices wait on a queue of their own, so that a slow mail server or webhook never keeps
 * a reported token live nor holds up other reports. A public report is worked wholly off
 * the request thread ({@link #report}); a GitHub report is revoked on it, since GitHub's
 * answer says which tokens were ours, and only its notices wait ({@link #revokeFound}).
 * An owner is told once, by the revocation that removed the token.
 *
 * @since 0.1
 */
public final class LeakReports implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LeakReports.class);

	/** The audit record's actor of a public report. */
	public static final String PUBLIC_ACTOR = "public-report";

	/** The audit record's door of a public report. */
	public static final String PUBLIC_VIA = "api/credentials/revoke";

	/** How a public report is named to the owner. */
	public static final String PUBLIC_SOURCE = "a public report";

	/** The audit record's actor of a GitHub report. */
	public static final String GITHUB_ACTOR = "github-secret-scanning";

	/** The audit record's door of a GitHub report. */
	public static final String GITHUB_VIA = "api/secret-scanning/github";

	/** How a GitHub report is named to the owner. */
	public static final String GITHUB_SOURCE = "GitHub secret scanning";

	private static final int ATTEMPTS = 3;

	private final TokenRevocation revocation;

	private final LeakNotifier notifier;

	private final LeakReportQueue queue;

	private final LeakReportQueue notices;

	private Duration backoff = Duration.ofMillis(200);

	/**
	 * @param revocation revokes tokens by their strings
	 * @param notifier tells owners
	 * @param queue where reports wait to be revoked
	 * @param notices where notices wait to be sent, closed with this
	 */
	public LeakReports(TokenRevocation revocation, LeakNotifier notifier, LeakReportQueue queue,
			LeakReportQueue notices) {
		Assert.notNull(revocation, "revocation cannot be null");
		Assert.notNull(notifier, "notifier cannot be null");
		Assert.notNull(queue, "queue cannot be null");
		Assert.notNull(notices, "notices cannot be null");
		this.revocation = revocation;
		this.notifier = notifier;
		this.queue = queue;
		this.notices = notices;
	}

	/**
	 * Sets the wait before the first retry of a revocation the store failed; each further
	 * retry waits twice as long.
	 * @param backoff the first wait
	 */
	public void setRetryBackoff(Duration backoff) {
		Assert.isTrue(backoff != null && !backoff.isNegative(), "backoff cannot be negative");
		this.backoff = backoff;
	}

	/**
	 * Queues a public report; its strings are looked up and revoked later, off the
	 * caller's thread, all of them before their owners are told.
	 * @param credentials the reported strings, whatever they are
	 * @return false if the queue is full: nothing was queued
	 */
	public boolean report(List<String> credentials) {
		List<String> distinct = List.copyOf(new LinkedHashSet<>(credentials));
		return this.queue.offer(() -> {
			List<Notice> told = new ArrayList<>();
			for (String credential : distinct) {
				try {
					revoke(credential, PUBLIC_ACTOR, PUBLIC_VIA).filter(TokenRevocation.Revoked::now)
						.ifPresent((revoked) -> told.add(new Notice(revoked.token(), PUBLIC_SOURCE, null)));
				}
				catch (RuntimeException ex) {
					logger.warn("A reported string could not be revoked, the others of its report go on: "
							+ ex.getClass().getSimpleName());
				}
			}
			tell(told);
		});
	}

	/**
	 * Revokes the tokens that GitHub's secret scanning found, those that are ours, on the
	 * caller's thread, and has their owners told off it.
	 * @param found the strings found, each with the public URL where it was, if known
	 * @return the strings that were ours (their records existed, live or expired, also
	 * when a concurrent report revoked them first); not those we never issued, that fail
	 * the checksum, or that were revoked before
	 * @throws DataAccessException if the store kept failing: the tokens revoked before
	 * the failure are revoked, and their owners are told
	 */
	public Set<String> revokeFound(List<Found> found) {
		Set<String> ours = new LinkedHashSet<>();
		List<Notice> told = new ArrayList<>();
		try {
			for (Found match : found) {
				if (ours.contains(match.credential())) {
					continue;
				}
				revoke(match.credential(), GITHUB_ACTOR, GITHUB_VIA).ifPresent((revoked) -> {
					ours.add(match.credential());
					if (revoked.now()) {
						told.add(new Notice(revoked.token(), GITHUB_SOURCE, match.url()));
					}
				});
			}
		}
		finally {
			tell(told);
		}
		return ours;
	}

	/** Revokes one string, retrying a few times, with backoff, while the store fails. */
	private Optional<TokenRevocation.Revoked> revoke(String credential, String actor, String via) {
		long wait = this.backoff.toMillis();
		for (int attempt = 1;; attempt++) {
			try {
				return this.revocation.revokeByValue(credential, actor, via, RevocationReason.REPORTED);
			}
			catch (DataAccessException ex) {
				if (attempt == ATTEMPTS) {
					throw ex;
				}
				pause(wait);
				wait *= 2;
			}
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting to retry a revocation", ex);
		}
	}

	/** Queues the notices of one report; dropped, and logged, when that queue is full. */
	private void tell(List<Notice> told) {
		if (told.isEmpty()) {
			return;
		}
		boolean queued = this.notices.offer(() -> {
			for (Notice notice : told) {
				try {
					this.notifier.tell(notice.token(), notice.source(), notice.url());
				}
				catch (RuntimeException ex) {
					logger.warn("The owner of reported token " + notice.token().id() + " could not be told: "
							+ ex.getClass().getSimpleName());
				}
			}
		});
		if (!queued) {
			logger.warn("Too many notices are waiting: the owners of " + told.size()
					+ " reported tokens, revoked, are not told");
		}
	}

	/** Stops sending notices: those still waiting are given a few seconds. */
	@Override
	public void close() {
		this.notices.close();
	}

	/**
	 * A string GitHub found.
	 *
	 * @param credential the string
	 * @param url the public URL where it was found, if known
	 */
	public record Found(String credential, @Nullable String url) {
	}

	private record Notice(PersonalAccessToken token, String source, @Nullable String url) {
	}

}
