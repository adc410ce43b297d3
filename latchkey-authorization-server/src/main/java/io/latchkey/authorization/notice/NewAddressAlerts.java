package io.latchkey.authorization.notice;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.authorization.token.TokenUsedFromNewAddress;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.util.Assert;

/**
 * A token used from a new address: always a {@value NewAddressNotice#TYPE} audit record
 * (owner, token id, address, network, whether it was the token's first use from any
 * address); and, when enabled, a notice to its owner (and creator) on every channel, at
 * most once per token and network per {@code once} across every instance. A token's very
 * first use is recorded but told to nobody: whoever generated it a moment ago expects it
 * to be used, and an alert after every new token would teach people to ignore the ones
 * that matter. Notices are delivered on a thread of their own, so that a slow webhook
 * never holds up the recording of uses.
 *
 * @since 0.1
 */
public final class NewAddressAlerts implements DisposableBean {

	private static final Log logger = LogFactory.getLog(NewAddressAlerts.class);

	private final AuditLog audit;

	private final OwnerDirectory owners;

	private final List<NoticeChannel> channels;

	private final NewAddressClaims claims;

	private final boolean notify;

	private final Duration once;

	private final ExecutorService ownThread;

	private Executor deliveries;

	private Clock clock = Clock.systemUTC();

	/**
	 * @param audit where every new address is recorded
	 * @param owners where the owners' and creators' e-mail addresses are read
	 * @param channels where notices are delivered
	 * @param claims which notices went out lately, across instances
	 * @param notify whether owners are told ({@code latchkey.notices.new-address})
	 * @param once how long a notice about a token and network is not sent again
	 */
	public NewAddressAlerts(AuditLog audit, OwnerDirectory owners, List<NoticeChannel> channels,
			NewAddressClaims claims, boolean notify, Duration once) {
		Assert.notNull(audit, "audit cannot be null");
		Assert.notNull(owners, "owners cannot be null");
		Assert.notNull(channels, "channels cannot be null");
		Assert.notNull(claims, "claims cannot be null");
		Assert.notNull(once, "once cannot be null");
		this.audit = audit;
		this.owners = owners;
		this.channels = List.copyOf(channels);
		this.claims = claims;
		this.notify = notify;
		this.once = once;
		this.ownThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000),
				(task) -> {
					Thread thread = new Thread(task, "latchkey-new-address-notices");
					thread.setDaemon(true);
					return thread;
				});
		this.deliveries = this.ownThread;
	}

	/**
	 * Where notices are delivered; by default a thread of its own, with at most 1,000
	 * waiting.
	 * @param deliveries the executor that delivers notices
	 */
	public void setExecutor(Executor deliveries) {
		Assert.notNull(deliveries, "deliveries cannot be null");
		this.deliveries = deliveries;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Records the use, and tells the owner if enabled and not told about this network
	 * lately.
	 * @param used the token, the address and its network
	 */
	@EventListener
	public void onNewAddress(TokenUsedFromNewAddress used) {
		PersonalAccessToken token = used.token();
		try {
			if (this.notify && !used.first() && !this.channels.isEmpty()
					&& this.claims.claim(token.id(), used.network(), this.clock.instant(), this.once)) {
				tell(new NewAddressNotice(token.id(), token.hint(), token.description(), token.owner(),
						token.createdBy(), used.address(), used.network(), used.at(),
						NoticeDelivery.recipients(this.owners, token)));
			}
		}
		finally {
			this.audit.record(NewAddressNotice.TYPE, "system", "owner", token.owner(), "token_id", token.id(),
					"address", used.address(), "network", used.network(), "first", Boolean.toString(used.first()));
		}
	}

	private void tell(NewAddressNotice notice) {
		try {
			this.deliveries.execute(() -> deliver(notice));
		}
		catch (RejectedExecutionException ex) {
			logger.warn("Too many new-address notices waiting; not telling the owner of token " + notice.tokenId());
		}
	}

	private void deliver(NewAddressNotice notice) {
		NoticeDelivery.deliver(this.channels, (channel) -> channel.deliver(notice), this.audit, NewAddressNotice.TYPE,
				notice.owner(), notice.tokenId());
	}

	@Override
	public void destroy() {
		this.ownThread.shutdownNow();
	}

}
