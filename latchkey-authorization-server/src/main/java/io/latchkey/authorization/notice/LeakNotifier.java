package io.latchkey.authorization.notice;

import java.time.Clock;
import java.util.List;

import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.token.PersonalAccessToken;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Tells a token's owner (and, when somebody else generated it, its creator) that it was
 * reported as leaked and has been revoked, on every channel at once: the source of the
 * report and, when the report named one, the public URL where it was found. Each notice
 * is audited as {@code notice.sent} (type {@value LeakNotice#TYPE}) or
 * {@code notice.failed}; a failed one is not tried again later (the token is revoked
 * whatever happens to its notice, and the webhook channel retries by itself first).
 *
 * @since 0.1
 */
public final class LeakNotifier {

	private final OwnerDirectory owners;

	private final List<NoticeChannel> channels;

	private final AuditLog audit;

	private Clock clock = Clock.systemUTC();

	/**
	 * @param owners where the owners' e-mail addresses are read
	 * @param channels where notices are delivered
	 * @param audit where notices are recorded
	 */
	public LeakNotifier(OwnerDirectory owners, List<NoticeChannel> channels, AuditLog audit) {
		Assert.notNull(owners, "owners cannot be null");
		Assert.notNull(channels, "channels cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		this.owners = owners;
		this.channels = List.copyOf(channels);
		this.audit = audit;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Tells the owner of a token that was reported and revoked.
	 * @param token the revoked token's record
	 * @param source who reported it, in words ("a public report")
	 * @param url where it was found, if the report said
	 * @return whether every channel delivered it (true too when there are none)
	 */
	public boolean tell(PersonalAccessToken token, String source, @Nullable String url) {
		if (this.channels.isEmpty()) {
			return true;
		}
		LeakNotice notice = new LeakNotice(token.id(), token.hint(), token.description(), token.owner(),
				token.createdBy(), source, url, this.clock.instant(), NoticeDelivery.recipients(this.owners, token));
		return NoticeDelivery.deliver(this.channels, (channel) -> channel.deliver(notice), this.audit, notice.type(),
				token.owner(), token.id());
	}

}
