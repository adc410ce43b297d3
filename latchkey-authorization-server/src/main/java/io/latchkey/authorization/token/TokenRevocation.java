package io.latchkey.authorization.token;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.error.ConflictException;
import io.latchkey.authorization.error.NotFoundException;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.event.EventPublisher;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.UserDeleted;
import io.latchkey.authorization.support.RequestValidator;
import io.latchkey.core.TokenDigest;
import io.latchkey.core.TokenFormat;
import io.latchkey.core.event.EventType;
import io.latchkey.core.event.LatchkeyEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.util.Assert;

/**
 * Revokes tokens: by id, all of an owner's, by the leaked string, and whole rotation
 * chains when a rotated token is presented again. Revoking a token revokes every token it
 * was rotated into, transitively, so a thief who rotated first does not survive. Every
 * revocation is published (after the store acknowledged it, and also when it failed)
 * before it is audited.
 *
 * @since 0.1
 */
public class TokenRevocation {

	/**
	 * How often "revoke all" reads the owner's tokens again before it gives up on a race
	 * it keeps losing.
	 */
	private static final int REVOKE_ALL_PASSES = 16;

	/**
	 * The longest rotation chain one revocation follows (a token is rotated once, so
	 * chains only grow slowly).
	 */
	private static final int MAX_CHAIN = 1000;

	private static final Log logger = LogFactory.getLog(TokenRevocation.class);

	private final TokenRepository tokens;

	private final OwnerDirectory owners;

	private final TokenPolicy policy;

	private final AccessPolicy access;

	private final AuditLog audit;

	private final EventPublisher events;

	private final RequestValidator validator;

	private final TokenFormat format;

	private Clock clock = Clock.systemUTC();

	/**
	 * @param tokens where token records are stored
	 * @param owners who may own tokens
	 * @param policy the token format and what reuse of a rotated token does
	 * ({@code latchkey.tokens.*})
	 * @param access who may do what
	 * @param audit where revocations are recorded
	 * @param events where revocations are announced
	 * @param validator the rules of request bodies
	 */
	public TokenRevocation(TokenRepository tokens, OwnerDirectory owners, TokenPolicy policy, AccessPolicy access,
			AuditLog audit, EventPublisher events, RequestValidator validator) {
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(owners, "owners cannot be null");
		Assert.notNull(policy, "policy cannot be null");
		Assert.notNull(access, "access cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		Assert.notNull(events, "events cannot be null");
		Assert.notNull(validator, "validator cannot be null");
		this.tokens = tokens;
		this.owners = owners;
		this.policy = policy;
		this.access = access;
		this.audit = audit;
		this.events = events;
		this.validator = validator;
		this.format = new TokenFormat(policy.prefix());
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Revokes one of the owner's tokens by id, and every token it was rotated into;
	 * refused as not found if the owner has no such token. One's own, or anyone's with
	 * {@code tokens.manage}.
	 * @param owner whose token it is
	 * @param id the token's id
	 * @param actor who asks
	 */
	public void revoke(String owner, String id, Actor actor) {
		String username = TokenMint.owner(this.owners, owner).username();
		this.access.revokeTokens(actor, username);
		String digest = this.tokens.findDigest(username, id)
			.orElseThrow(() -> new NotFoundException("No token '" + id + "' for user '" + owner + "'"));
		revokeChain(username, id, digest, actor.username(), "api", RevocationReason.REQUESTED);
	}

	/**
	 * Revokes a token the caller found itself (the schedule of idle tokens), with every
	 * token it was rotated into; nothing happens if it is gone already.
	 * @param token the token's record
	 * @param actor who revokes, for the audit record ({@code system} for a schedule)
	 * @param via the door it came through, for the audit record
	 * @param reason why
	 */
	public void revoke(PersonalAccessToken token, String actor, String via, RevocationReason reason) {
		revokeChain(token.owner(), token.id(), token.digest(), actor, via, reason);
	}

	/**
	 * Revokes every token of the owner. The owner's tokens are read again after each pass
	 * until none is left: a rotation that landed meanwhile (its successor saved after the
	 * first read, its old token marked before it was deleted) would otherwise leave the
	 * successor working, and whoever holds a stolen token could outlive "revoke all" by
	 * rotating it at the right moment. A rotation that comes too late finds its old token
	 * gone and withdraws its successor itself.
	 * @param owner whose tokens they are
	 * @param by who asks
	 * @return how many tokens there were
	 */
	public int revokeAll(String owner, Actor by) {
		String username = TokenMint.owner(this.owners, owner).username();
		this.access.revokeTokens(by, username);
		LatchkeyEvent revoked = LatchkeyEvent.user(EventType.USER_TOKENS_REVOKED, username, this.clock.instant());
		Set<String> gone = new HashSet<>();
		boolean complete = this.events.publishIfWriteFails(revoked, () -> deleteAll(username, gone, by.username()));
		this.events.publish(revoked);
		if (!complete) {
			this.audit.record("token.revoked_all", by.username(), "owner", username, "count",
					Integer.toString(gone.size()), "complete", "false");
			throw new ConflictException("Tokens of user '" + username
					+ "' keep being created while they are revoked: disable the user, then revoke them");
		}
		this.audit.record("token.revoked_all", by.username(), "owner", username, "count", Integer.toString(gone.size()),
				"reason", RevocationReason.REQUESTED.value());
		return gone.size();
	}

	/**
	 * Deletes the owner's tokens pass after pass, noting each in {@code gone}; false if
	 * they kept coming.
	 */
	private boolean deleteAll(String username, Set<String> gone, String by) {
		List<PersonalAccessToken> pass = this.tokens.findByOwner(username);
		for (int passes = 0; !pass.isEmpty(); passes++) {
			if (passes == REVOKE_ALL_PASSES) {
				return false;
			}
			for (PersonalAccessToken token : pass) {
				if (this.tokens.delete(username, token.id(), token.digest()).existed()) {
					keepListed(token, by, RevocationReason.REQUESTED);
				}
				gone.add(token.id());
			}
			pass = this.tokens.findByOwner(username);
		}
		return true;
	}

	/**
	 * Revokes a leaked token given its full string, wherever it belongs, with every token
	 * it was rotated into (needs {@code tokens.manage}). Says nothing about whether it
	 * existed.
	 * @param request the leaked string
	 * @param actor who asks
	 * @param via the door it came through, for the audit record
	 */
	public void revokeLeaked(TokenRequests.Revoke request, Actor actor, String via) {
		this.validator.check(request);
		this.access.revokeLeaked(actor);
		revokeByValue(request.token(), actor.username(), via, RevocationReason.LEAKED);
	}

	/**
	 * Revokes a token given its full string, wherever it belongs, with every token it was
	 * rotated into; for a caller already allowed to (an OAuth client at the revocation
	 * endpoint). Says nothing about whether it existed: the caller learns nothing about
	 * whose it was.
	 * @param value the token string
	 * @param actor who asks, for the audit record
	 * @param via the door it came through, for the audit record
	 */
	public void revokeByValue(String value, String actor, String via) {
		revokeByValue(value, actor, via, RevocationReason.REQUESTED);
	}

	/**
	 * Revokes a token given its full string, wherever it belongs, with every token it was
	 * rotated into, for a reason; for a caller already allowed to. A string that fails
	 * the checksum is dropped before any lookup.
	 * @param value the token string
	 * @param actor who asks, for the audit record
	 * @param via the door it came through, for the audit record
	 * @param reason why
	 * @return the token asked for, if its record existed when this call looked (for
	 * telling its owner, never the caller), and whether this call's deletion removed it:
	 * false when a concurrent revocation removed it first (that one tells the owner)
	 */
	public Optional<Revoked> revokeByValue(String value, String actor, String via, RevocationReason reason) {
		if (!this.format.isWellFormed(value)) {
			return Optional.empty();
		}
		String digest = TokenDigest.of(value);
		Optional<PersonalAccessToken> token = this.tokens.findByDigest(digest);
		return token
			.map((found) -> new Revoked(found, revokeChain(found.owner(), found.id(), digest, actor, via, reason)));
	}

	/**
	 * A token that was rotated away was presented after its overlap: recorded, and with
	 * {@code rotated-reuse: revoke-family} every token of its rotation chain is revoked
	 * (whoever holds the old one may hold the new one too).
	 * @param reuse the token and where it was presented from
	 */
	@EventListener
	public void onReuseDetected(TokenReuseDetected reuse) {
		PersonalAccessToken token = reuse.token();
		boolean revoke = this.policy.rotatedReuse() == TokenPolicy.ReusePolicy.REVOKE_FAMILY;
		this.audit.record("token.reuse_detected", "system", "owner", token.owner(), "token_id", token.id(), "family",
				token.family(), "from", String.valueOf(reuse.from()), "action", revoke ? "revoke-family" : "alert");
		if (revoke) {
			for (PersonalAccessToken member : this.tokens.findByOwner(token.owner())) {
				if (member.family().equals(token.family())) {
					revokeChain(member.owner(), member.id(), member.digest(), "system", "reuse-detection",
							RevocationReason.REUSE);
				}
			}
		}
	}

	/**
	 * A deleted user's token records go with it (they were dead already: no owner).
	 * @param deleted the user and its tokens' digests
	 */
	@EventListener
	public void onUserDeleted(UserDeleted deleted) {
		this.tokens.deleteRecords(deleted.tokenDigests());
	}

	/**
	 * Revokes a token and every token it was rotated into, transitively, newest first: a
	 * failure midway leaves the token that was asked for, so that retrying finds it
	 * again. Each deletion reads, in the same step, what the token was rotated into
	 * meanwhile, so a rotation racing the revocation is followed too (one that comes
	 * later finds its token gone and withdraws its successor itself). Each token's
	 * revocation is published; one audit record names them all. Answers whether this
	 * call's deletion of the token asked for removed it.
	 */
	private boolean revokeChain(String owner, String id, String digest, String actor, String via,
			RevocationReason reason) {
		List<String[]> chain = new ArrayList<>();
		chain.add(new String[] { id, digest });
		Set<String> seen = new HashSet<>(List.of(id));
		Optional<PersonalAccessToken> next = this.tokens.findByDigest(digest);
		while (next.isPresent() && next.get().rotatedTo() != null && chain.size() < MAX_CHAIN) {
			String successor = next.get().rotatedTo();
			Optional<String> successorDigest = this.tokens.findDigest(owner, successor);
			if (successorDigest.isEmpty() || !seen.add(successor)) {
				break;
			}
			chain.add(new String[] { successor, successorDigest.get() });
			next = this.tokens.findByDigest(successorDigest.get());
		}
		List<String> revoked = new ArrayList<>();
		boolean existed = false;
		for (int i = chain.size() - 1; i >= 0; i--) {
			TokenRepository.Deletion deletion = deleteAndPublish(owner, chain.get(i)[0], chain.get(i)[1], actor,
					reason);
			if (i == 0) {
				existed = deletion.existed();
			}
			String rotatedInto = deletion.rotatedTo();
			revoked.add(chain.get(i)[0]);
			while (rotatedInto != null && seen.add(rotatedInto) && revoked.size() < MAX_CHAIN) {
				String lateId = rotatedInto;
				rotatedInto = this.tokens.findDigest(owner, lateId)
					.map((lateDigest) -> deleteAndPublish(owner, lateId, lateDigest, actor, reason).rotatedTo())
					.orElse(null);
				revoked.add(lateId);
			}
		}
		revoked.remove(id);
		if (revoked.isEmpty()) {
			this.audit.record("token.revoked", actor, "owner", owner, "token_id", id, "via", via, "reason",
					reason.value());
		}
		else {
			this.audit.record("token.revoked", actor, "owner", owner, "token_id", id, "via", via, "reason",
					reason.value(), "rotated_into", String.join(" ", revoked));
		}
		return existed;
	}

	/**
	 * Deletes one token and publishes its revocation, then keeps it listed as revoked;
	 * answers whether it existed and the id it had been rotated into, if any.
	 */
	private TokenRepository.Deletion deleteAndPublish(String owner, String id, String digest, String actor,
			RevocationReason reason) {
		Optional<PersonalAccessToken> record = this.tokens.findByDigest(digest);
		// a record already gone was revoked before: its audience is unknown, so no Shared
		// Signals receiver hears of it (the events channel still does)
		@Nullable Set<String> audience = record.isPresent() ? record.get().audience() : Set.of();
		LatchkeyEvent revoked = LatchkeyEvent.tokenRevoked(owner, id, digest, audience, this.clock.instant());
		TokenRepository.Deletion deletion = this.events.publishIfWriteFails(revoked,
				() -> this.tokens.delete(owner, id, digest));
		this.events.publish(revoked);
		if (deletion.existed()) {
			record.ifPresent((token) -> keepListed(token, actor, reason));
		}
		return deletion;
	}

	/**
	 * Keeps a revoked token in its owner's list until it would have left it as an expired
	 * token. Best effort: the token is revoked whether or not its listing is kept.
	 */
	private void keepListed(PersonalAccessToken token, String actor, RevocationReason reason) {
		Instant now = this.clock.instant();
		PersonalAccessToken listed = new PersonalAccessToken(token.id(), "", token.hint(), token.owner(),
				token.ownerUid(), token.description(), token.scopes(), token.createdAt(), token.createdBy(),
				token.expiresAt(), token.lastUsedAt(), token.lastUsedFrom(), token.family(), token.allowedIps(),
				token.rotatedTo(), token.retiresAt(), token.recentUses(), token.ceiling(), token.audience(),
				token.jkt());
		try {
			this.tokens.saveRevoked(new RevokedToken(listed, now, actor, reason),
					token.expiresAt().plus(this.policy.keepExpiredFor()), now);
		}
		catch (RuntimeException ex) {
			logger.warn("Token " + token.id() + " of '" + token.owner()
					+ "' is revoked, but its listing as revoked could not be kept: " + ex.getMessage());
		}
	}

	/**
	 * A token revoked by its string.
	 *
	 * @param token its record, read before its deletion
	 * @param now whether this revocation's deletion removed it; false when a concurrent
	 * revocation removed it first
	 */
	public record Revoked(PersonalAccessToken token, boolean now) {
	}

}
