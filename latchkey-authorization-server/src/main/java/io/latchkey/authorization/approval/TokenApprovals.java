package io.latchkey.authorization.approval;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.Account;
import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.error.ConflictException;
import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.error.NotFoundException;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.authorization.support.Page;
import io.latchkey.authorization.support.RequestValidator;
import io.latchkey.authorization.support.Text;
import io.latchkey.authorization.token.TokenIssuer;
import io.latchkey.authorization.token.TokenPolicy;
import io.latchkey.authorization.token.TokenRequests;
import io.latchkey.authorization.token.TokenViews;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Token requests that need approval ({@code latchkey.tokens.approval.*}). Generating a
 * token, one's own or (with {@code tokens.manage}) somebody else's, that asks for a right
 * of {@code required-for} (named in its scopes, or held by its owner when it names none)
 * or lives longer than {@code lifetime-over} files a pending request instead. An approver
 * decides it (the {@link AccessPolicy} says who: a second person, neither the owner nor
 * whoever asked); whoever asked then claims it, once, within {@code claim-within}: only
 * then is the token generated, for its owner, so that an approver never sees it. A claim
 * generates the token narrowed to the rights approved that the owner still holds (nothing
 * granted since the request, nothing lost since) and, for somebody else's token, within
 * the claiming manager's rights at the claim (the ceiling {@link TokenIssuer} gives).
 *
 * @since 0.1
 */
public class TokenApprovals {

	private static final int MAX_PENDING_LISTED = 1000;

	private final TokenRequestStore requests;

	private final TokenIssuer issuer;

	private final OwnerDirectory owners;

	private final AccessPolicy access;

	private final AuditLog audit;

	private final RequestValidator validator;

	private final TokenPolicy.Approval settings;

	private final TokenRequestNotices notices;

	private Clock clock = Clock.systemUTC();

	/**
	 * @param requests where requests are kept
	 * @param issuer generates the tokens claimed
	 * @param owners the requesters' current states
	 * @param access who may do what
	 * @param audit where every step is recorded
	 * @param validator the rules of request bodies
	 * @param settings what needs approval, and for how long requests are kept
	 * @param notices who is told
	 */
	public TokenApprovals(TokenRequestStore requests, TokenIssuer issuer, OwnerDirectory owners, AccessPolicy access,
			AuditLog audit, RequestValidator validator, TokenPolicy.Approval settings, TokenRequestNotices notices) {
		Assert.notNull(requests, "requests cannot be null");
		Assert.notNull(issuer, "issuer cannot be null");
		Assert.notNull(owners, "owners cannot be null");
		Assert.notNull(access, "access cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		Assert.notNull(validator, "validator cannot be null");
		Assert.notNull(settings, "settings cannot be null");
		Assert.notNull(notices, "notices cannot be null");
		this.requests = requests;
		this.issuer = issuer;
		this.owners = owners;
		this.access = access;
		this.audit = audit;
		this.validator = validator;
		this.settings = settings;
		this.notices = notices;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/** Whether any generation may need approval. */
	public boolean enabled() {
		return this.settings.enabled();
	}

	/**
	 * Generates the actor's own token, or files a request when it needs approval.
	 * @param me who asks, for themselves
	 * @param request what is asked for
	 * @return the token, or the pending request
	 */
	public TokenRequestViews.Generated generate(Actor me, TokenRequests.Generate request) {
		return generate(me.username(), me, request);
	}

	/**
	 * Generates a token for {@code owner} (the actor, or somebody the actor may generate
	 * tokens for), or files a request when it needs approval: a manager never holds a
	 * token that needs approval without a second person's decision.
	 * @param owner whose token it is
	 * @param actor who asks
	 * @param request what is asked for
	 * @return the token, or the pending request
	 */
	public TokenRequestViews.Generated generate(String owner, Actor actor, TokenRequests.Generate request) {
		TokenIssuer.Checked checked = this.issuer.check(owner, actor, request);
		List<String> because = because(checked);
		if (because.isEmpty()) {
			return new TokenRequestViews.Generated(this.issuer.generate(owner, actor, pinned(request, checked)), null);
		}
		return new TokenRequestViews.Generated(null, file(actor, request, checked, because));
	}

	/**
	 * A token that names no scopes follows its owner's rights: generated without
	 * approval, it would carry a right of {@code required-for} granted to its owner
	 * later. So it is narrowed to the rights its owner holds now (and
	 * {@code tokens.self}), as a claimed request that named no scopes is.
	 */
	private TokenRequests.Generate pinned(TokenRequests.Generate request, TokenIssuer.Checked checked) {
		if (this.settings.requiredFor().isEmpty() || !checked.scopes().isEmpty()) {
			return request;
		}
		Set<String> scopes = new TreeSet<>(checked.owner().rights());
		scopes.add(RightsCatalog.SELF_SCOPE);
		return new TokenRequests.Generate(request.description(), request.expiresAt(), List.copyOf(scopes),
				request.allowedIps(), request.audience(), request.jkt());
	}

	/**
	 * Files a request for the actor's own token, whether it needs approval or not.
	 * @param me who asks, for themselves
	 * @param request what is asked for
	 * @return the pending request
	 */
	public TokenRequestViews.ListedRequest request(Actor me, TokenRequests.Generate request) {
		TokenIssuer.Checked checked = this.issuer.check(me.username(), me, request);
		List<String> because = because(checked);
		return file(me, request, checked, because.isEmpty() ? List.of("asked for") : because);
	}

	/**
	 * The actor's requests, newest first: for their own tokens, and those they asked for
	 * somebody else.
	 */
	public Page<TokenRequestViews.ListedRequest> mine(Actor me, Page.Request page) {
		Instant now = this.clock.instant();
		return page(this.requests.of(me.username())
			.stream()
			.map((r) -> TokenRequestViews.ListedRequest.of(r, now))
			.toList(), page);
	}

	/**
	 * The requests the approver may decide, oldest first: pending ones (the default), or
	 * with {@code state} any state of the pending ones' list (only {@code pending} is
	 * listed across requesters).
	 */
	public Page<TokenRequestViews.ListedRequest> decidable(Actor approver, @Nullable String state, Page.Request page) {
		if (state != null && !TokenRequest.PENDING.equals(state)) {
			throw new InvalidRequestException("state", "must be 'pending', the requests that await a decision");
		}
		Instant now = this.clock.instant();
		List<TokenRequestViews.ListedRequest> listed = new ArrayList<>();
		for (TokenRequest request : this.requests.pending(now, this.settings.keepFor(), MAX_PENDING_LISTED)) {
			OwnerState owner = this.owners.ownerState(request.owner()).orElse(null);
			OwnerState requestedBy = this.owners.ownerState(request.requestedBy()).orElse(null);
			if (owner != null && requestedBy != null
					&& this.access.mayDecideTokenRequest(approver, account(owner), account(requestedBy))) {
				listed.add(TokenRequestViews.ListedRequest.of(request, now));
			}
		}
		return page(listed, page);
	}

	/** Approves a pending request; whoever asked for it may then claim the token. */
	public TokenRequestViews.ListedRequest approve(String id, Actor approver, TokenRequestViews.Decision decision) {
		return decide(id, approver, decision, TokenRequest.APPROVED);
	}

	/** Denies a pending request, with a reason. */
	public TokenRequestViews.ListedRequest deny(String id, Actor approver, TokenRequestViews.Decision decision) {
		this.validator.check(decision);
		if (Text.blankToNull(decision.reason()) == null) {
			throw new InvalidRequestException("reason", "is required to deny a request: the requester is told");
		}
		return decide(id, approver, decision, TokenRequest.DENIED);
	}

	/**
	 * Claims an approved request: generates the token for its owner, once, within the
	 * claim window, with the rights approved that the owner still holds. Only whoever
	 * asked for it claims it; a manager claiming somebody else's token is checked as when
	 * generating it (tokens.manage, outranking the owner, a recent password), and the
	 * token's ceiling is the manager's rights at the claim.
	 * @param id the request's id
	 * @param me whoever asked for it
	 * @return the new token, with its string
	 */
	public TokenViews.Created claim(String id, Actor me) {
		Instant now = this.clock.instant();
		TokenRequest request = this.requests.find(id)
			.filter((found) -> me.is(found.requestedBy()))
			.orElseThrow(() -> notFound(id));
		OwnerState owner = this.owners.ownerState(request.owner()).orElseThrow(() -> notFound(id));
		TokenRequests.Generate generate = approvedGenerate(request, owner);
		this.issuer.check(owner.username(), me, generate);
		String before = this.requests.claim(id, me.username(), now).orElseThrow(() -> notFound(id));
		if (!TokenRequest.APPROVED.equals(before)) {
			throw new ConflictException(switch (before) {
				case TokenRequest.LAPSED ->
					"Token request '" + id + "' has lapsed: it was not claimed by " + request.claimBy() + "; ask again";
				case TokenRequest.CLAIMED -> "Token request '" + id + "' was claimed already: a token is shown once";
				case TokenRequest.DENIED -> "Token request '" + id + "' was denied";
				default -> "Token request '" + id + "' awaits a decision";
			});
		}
		TokenViews.Created token;
		try {
			token = this.issuer.generate(owner.username(), me, generate);
		}
		catch (RuntimeException ex) {
			this.requests.unclaim(id);
			throw ex;
		}
		this.requests.claimed(id, token.id());
		this.audit.record("token.request_claimed", me.username(), "requester", request.owner(), "requested_by",
				request.requestedBy(), "request_id", id, "token_id", token.id(), "hint", token.hint());
		return token;
	}

	private TokenRequestViews.ListedRequest decide(String id, Actor approver, TokenRequestViews.Decision decision,
			String state) {
		this.validator.check(decision);
		Instant now = this.clock.instant();
		TokenRequest request = this.requests.find(id).orElseThrow(() -> notFound(id));
		OwnerState owner = this.owners.ownerState(request.owner()).orElseThrow(() -> notFound(id));
		OwnerState requestedBy = this.owners.ownerState(request.requestedBy()).orElseThrow(() -> notFound(id));
		this.access.decideTokenRequest(approver, account(owner), account(requestedBy));
		String reason = Text.blankToNull(decision.reason());
		Instant claimBy = now.plus(this.settings.claimWithin());
		String before = this.requests
			.decide(request, state, approver.username(), (reason != null) ? reason : "", now, claimBy,
					this.settings.keepFor().plus(this.settings.claimWithin()))
			.orElseThrow(() -> notFound(id));
		if (!TokenRequest.PENDING.equals(before)) {
			throw new ConflictException("Token request '" + id + "' was decided already");
		}
		TokenRequest decided = this.requests.find(id).orElseThrow(() -> notFound(id));
		if (TokenRequest.APPROVED.equals(state)) {
			this.audit.record("token.request_approved", approver.username(), "requester", request.owner(),
					"requested_by", request.requestedBy(), "request_id", id, "reason", String.valueOf(reason));
		}
		else {
			this.audit.record("token.request_denied", approver.username(), "requester", request.owner(), "requested_by",
					request.requestedBy(), "request_id", id, "reason", String.valueOf(reason));
		}
		this.notices.decided(decided);
		return TokenRequestViews.ListedRequest.of(decided, now);
	}

	private TokenRequestViews.ListedRequest file(Actor me, TokenRequests.Generate body, TokenIssuer.Checked checked,
			List<String> because) {
		Instant now = this.clock.instant();
		OwnerState owner = checked.owner();
		String requestedBy = me.is(owner.username()) ? owner.username() : me.username();
		Set<String> rights = new TreeSet<>(checked.scopes().isEmpty() ? owner.rights() : checked.scopes());
		TokenRequest request = new TokenRequest(this.issuer.newId(), owner.username(), requestedBy,
				Text.blankToNull(body.description()), body.expiresAt(), checked.scopes(), checked.allowedIps(),
				body.audience(), checked.jkt(), rights, because, TokenRequest.PENDING, now, null, null, null, null,
				null, null);
		if (!this.requests.create(request, this.settings.maxPendingPerUser(), this.settings.keepFor())) {
			throw new ConflictException("User '" + owner.username() + "' already has "
					+ this.settings.maxPendingPerUser() + " token requests awaiting a decision, the most allowed");
		}
		this.audit.record("token.requested", me.username(), "requester", owner.username(), "requested_by", requestedBy,
				"request_id", request.id(), "because", String.join("; ", because));
		this.notices.requested(request, owner,
				me.is(owner.username()) ? owner : this.owners.ownerState(requestedBy).orElse(owner));
		return TokenRequestViews.ListedRequest.of(request, now);
	}

	/**
	 * Why the checked request needs approval: the rights of {@code required-for} it asks
	 * for (named in its scopes, or held by its owner when it names none), and a lifetime
	 * over {@code lifetime-over}.
	 */
	private List<String> because(TokenIssuer.Checked checked) {
		List<String> because = new ArrayList<>();
		Set<String> asked = checked.scopes().isEmpty() ? checked.owner().rights() : checked.scopes();
		Set<String> listed = new TreeSet<>(this.settings.requiredFor());
		listed.retainAll(asked);
		if (!listed.isEmpty()) {
			because.add("rights: " + String.join(", ", listed));
		}
		Duration over = this.settings.lifetimeOver();
		if (over != null && checked.expiresAt().isAfter(this.clock.instant().plus(over))) {
			because.add("lifetime over " + over.toDays() + " days");
		}
		return because;
	}

	/**
	 * The generate request a claim makes: as asked, narrowed to the rights approved that
	 * the requester still holds (keeping {@code tokens.self} where the request had it,
	 * explicitly or by naming no scopes).
	 */
	private TokenRequests.Generate approvedGenerate(TokenRequest request, OwnerState owner) {
		Set<String> scopes = new TreeSet<>(request.rights());
		scopes.retainAll(owner.rights());
		boolean approvedSome = request.rights().stream().anyMatch((r) -> !RightsCatalog.SELF_SCOPE.equals(r));
		boolean keptSome = scopes.stream().anyMatch((r) -> !RightsCatalog.SELF_SCOPE.equals(r));
		if (approvedSome && !keptSome) {
			throw new ConflictException("Token request '" + request.id() + "' approved rights that " + request.owner()
					+ " no longer holds: none is left to claim");
		}
		if (request.scopes().isEmpty() || request.scopes().contains(RightsCatalog.SELF_SCOPE)) {
			scopes.add(RightsCatalog.SELF_SCOPE);
		}
		return new TokenRequests.Generate(request.description(), request.expiresAt(), List.copyOf(scopes),
				request.allowedIps(), request.audience(), request.jkt());
	}

	private static NotFoundException notFound(String id) {
		return new NotFoundException("No token request '" + id + "'");
	}

	private static Account account(OwnerState owner) {
		return new Account(owner.username(), owner.rights(), true, owner.enabled());
	}

	private static <T> Page<T> page(List<T> all, Page.Request page) {
		return new Page<>(page.slice(all), page, all.size());
	}

}
