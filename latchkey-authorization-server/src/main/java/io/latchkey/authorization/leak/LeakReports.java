package io.latchkey.authorization.leak;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

import io.latchkey.authorization.notice.LeakNotifier;
import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.authorization.token.RevocationReason;
import io.latchkey.authorization.token.TokenRevocation;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Acts on reports of leaked tokens: each reported string that is one of ours (its
 * checksum holds and its record exists) is revoked with every token it was rotated into,
 * audited with {@code reason=reported}, and its owner told. A public report is worked
 * wholly off the request thread ({@link #report}); a GitHub report is revoked at once,
 * since GitHub's answer says which tokens were ours, and only its notices wait
 * ({@link #revokeFound}).
 *
 * @since 0.1
 */
public final class LeakReports {

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

	private final TokenRevocation revocation;

	private final LeakNotifier notifier;

	private final LeakReportQueue queue;

	/**
	 * @param revocation revokes tokens by their strings
	 * @param notifier tells owners
	 * @param queue where work waits
	 */
	public LeakReports(TokenRevocation revocation, LeakNotifier notifier, LeakReportQueue queue) {
		Assert.notNull(revocation, "revocation cannot be null");
		Assert.notNull(notifier, "notifier cannot be null");
		Assert.notNull(queue, "queue cannot be null");
		this.revocation = revocation;
		this.notifier = notifier;
		this.queue = queue;
	}

	/**
	 * Queues a public report; its strings are looked up, revoked and their owners told
	 * later, off the caller's thread.
	 * @param credentials the reported strings, whatever they are
	 * @return false if the queue is full: nothing was queued
	 */
	public boolean report(List<String> credentials) {
		List<String> distinct = List.copyOf(new LinkedHashSet<>(credentials));
		return this.queue.offer(() -> {
			for (String credential : distinct) {
				revoke(credential, PUBLIC_ACTOR, PUBLIC_VIA).ifPresent((token) -> tell(token, PUBLIC_SOURCE, null));
			}
		});
	}

	/**
	 * Revokes a token that GitHub's secret scanning found, if it is one of ours, and has
	 * its owner told off the caller's thread (on it, should the queue be full).
	 * @param credential the string found
	 * @param url the public URL where it was found, if known
	 * @return whether it was one of ours (its record existed, live or expired); false for
	 * strings we never issued, that fail the checksum, or that were revoked already
	 */
	public boolean revokeFound(String credential, @Nullable String url) {
		Optional<PersonalAccessToken> token = revoke(credential, GITHUB_ACTOR, GITHUB_VIA);
		token.ifPresent((found) -> {
			if (!this.queue.offer(() -> tell(found, GITHUB_SOURCE, url))) {
				tell(found, GITHUB_SOURCE, url);
			}
		});
		return token.isPresent();
	}

	private Optional<PersonalAccessToken> revoke(String credential, String actor, String via) {
		return this.revocation.revokeByValue(credential, actor, via, RevocationReason.REPORTED);
	}

	private void tell(PersonalAccessToken token, String source, @Nullable String url) {
		this.notifier.tell(token, source, url);
	}

}
