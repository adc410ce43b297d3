package io.latchkey.authorization.approval;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.Account;
import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.directory.Directory;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.notice.NoticeChannel;
import io.latchkey.authorization.notice.RequestNotice;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Tells people about token requests on every notice channel (e-mail, the webhook), off
 * the request thread: the approvers of a new request (every enabled user the
 * {@link AccessPolicy} lets decide it, found in the {@link Directory} when there is one;
 * without one, the webhook alone), and the requester of the decision. A notice never
 * carries a token value; one that could not be delivered is logged and recorded as
 * {@code notice.failed}, not retried.
 *
 * @since 0.1
 */
public class TokenRequestNotices {

	private static final Log logger = LogFactory.getLog(TokenRequestNotices.class);

	private final List<NoticeChannel> channels;

	private final OwnerDirectory owners;

	private final AccessPolicy access;

	private final AuditLog audit;

	private @Nullable Directory directory;

	private Executor executor = Executors.newVirtualThreadPerTaskExecutor();

	/**
	 * @param channels where notices go
	 * @param owners where addresses and states are read
	 * @param access who may decide a request
	 * @param audit where failures are recorded
	 */
	public TokenRequestNotices(List<NoticeChannel> channels, OwnerDirectory owners, AccessPolicy access,
			AuditLog audit) {
		Assert.notNull(channels, "channels cannot be null");
		Assert.notNull(owners, "owners cannot be null");
		Assert.notNull(access, "access cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		this.channels = List.copyOf(channels);
		this.owners = owners;
		this.access = access;
		this.audit = audit;
	}

	/** The directory approvers are looked up in; without one, only webhooks are told. */
	public void setDirectory(@Nullable Directory directory) {
		this.directory = directory;
	}

	/** Where notices are delivered (by default a virtual thread each). */
	public void setExecutor(Executor executor) {
		Assert.notNull(executor, "executor cannot be null");
		this.executor = executor;
	}

	/**
	 * Tells the approvers of a new request about it: those who may decide it, for its
	 * owner and whoever asked for it.
	 */
	public void requested(TokenRequest request, OwnerState owner, OwnerState requestedBy) {
		if (this.channels.isEmpty()) {
			return;
		}
		this.executor.execute(() -> send(
				new RequestNotice(RequestNotice.REQUESTED, request.id(), request.owner(), request.description(),
						request.rights(), request.because(), null, null, null, approverAddresses(owner, requestedBy))));
	}

	/**
	 * Tells whoever asked for the request about the decision (and the owner, when a
	 * manager asked for their token).
	 */
	public void decided(TokenRequest request) {
		if (this.channels.isEmpty()) {
			return;
		}
		String type = TokenRequest.APPROVED.equals(request.state()) ? RequestNotice.APPROVED : RequestNotice.DENIED;
		this.executor.execute(() -> {
			List<String> addresses = new ArrayList<>();
			this.owners.email(request.requestedBy()).ifPresent(addresses::add);
			if (request.forSomebodyElse()) {
				this.owners.email(request.owner()).filter((a) -> !addresses.contains(a)).ifPresent(addresses::add);
			}
			send(new RequestNotice(type, request.id(), request.owner(), request.description(), request.rights(),
					request.because(), request.decidedBy(), request.reason(), request.claimBy(), addresses));
		});
	}

	private List<String> approverAddresses(OwnerState owner, OwnerState requestedBy) {
		Directory users = this.directory;
		if (users == null) {
			return List.of();
		}
		Account account = new Account(owner.username(), owner.rights(), true, owner.enabled());
		Account maker = new Account(requestedBy.username(), requestedBy.rights(), true, requestedBy.enabled());
		List<String> addresses = new ArrayList<>();
		for (String username : users.usernames()) {
			Optional<OwnerState> state = users.ownerState(username);
			if (state.isEmpty() || !state.get().enabled()) {
				continue;
			}
			Actor approver = new Actor(state.get().username(), state.get().rights(), null);
			if (this.access.mayDecideTokenRequest(approver, account, maker)) {
				users.email(state.get().username()).ifPresent(addresses::add);
			}
		}
		return addresses;
	}

	private void send(RequestNotice notice) {
		for (NoticeChannel channel : this.channels) {
			try {
				String done = channel.deliver(notice);
				if (done != null) {
					this.audit.record("notice.sent", "system", "notice", notice.type(), "request_id",
							notice.requestId(), "requester", notice.requester(), "channel", done);
				}
			}
			catch (Exception ex) {
				logger.warn("A notice of token request " + notice.requestId() + " could not be delivered: "
						+ ex.getClass().getSimpleName());
				this.audit.record("notice.failed", "system", "notice", notice.type(), "request_id", notice.requestId(),
						"requester", notice.requester());
			}
		}
	}

}
