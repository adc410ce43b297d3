package io.latchkey.authorization.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.error.ConflictException;
import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.error.NotAllowedException;
import io.latchkey.authorization.error.NotFoundException;
import io.latchkey.authorization.error.Rule;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.event.EventPublisher;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.authorization.support.RequestValidator;
import io.latchkey.core.TokenDigest;
import io.latchkey.core.event.LatchkeyEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Rotates tokens: a new token with the old one's description, scopes, ceiling and
 * allowlist, shown once; the old one stops working at once or after the policy's overlap,
 * and rotating in a chain never leaves more than two tokens of one family working. Every
 * rotation is published (after the store acknowledged it, and also when it failed) before
 * it is audited.
 *
 * @since 0.1
 */
public class TokenRotation {

	private final TokenRepository tokens;

	private final OwnerDirectory owners;

	private final TokenPolicy policy;

	private final AccessPolicy access;

	private final AuditLog audit;

	private final EventPublisher events;

	private final RequestValidator validator;

	private final TokenMint mint;

	private Clock clock = Clock.systemUTC();

	/**
	 * @param tokens where token records are stored
	 * @param owners who may own tokens
	 * @param policy lifetimes, limits and the overlap ({@code latchkey.tokens.*})
	 * @param access who may do what
	 * @param audit where rotations are recorded
	 * @param events where rotations are announced
	 * @param validator the rules of request bodies
	 */
	public TokenRotation(TokenRepository tokens, OwnerDirectory owners, TokenPolicy policy, AccessPolicy access,
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
		this.mint = new TokenMint(tokens, policy);
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Rotates one of the owner's tokens by id: a new token with the same description,
	 * scopes and allowlist and a fresh expiry, shown once. Like generating, it needs a
	 * recent password (and {@code tokens.manage} and no escalation for somebody else's
	 * token): a bearer token rotates only itself ({@link #rotateSelf}).
	 * @param owner whose token it is
	 * @param id the token's id
	 * @param actor who asks
	 * @param request the new token's expiry, if not the old one's lifetime
	 * @return the new token, with its string
	 */
	public TokenViews.Created rotate(String owner, String id, Actor actor, TokenRequests.Rotate request) {
		this.validator.check(request);
		OwnerState user = TokenMint.owner(this.owners, owner);
		PersonalAccessToken token = this.tokens.findDigest(user.username(), id)
			.flatMap(this.tokens::findByDigest)
			.orElseThrow(() -> new NotFoundException("No token '" + id + "' for user '" + owner + "'"));
		Set<String> ceiling = this.access.rotateToken(actor, TokenMint.account(user), token.ceiling());
		return rotate(token, user, actor.username(), request.expiresAt(), "api", ceiling);
	}

	/**
	 * Rotates the very token that authenticated the call (GitLab's self-rotation): it
	 * replaces the token, never adds one, so an integration can renew its own credential
	 * without a password.
	 * @param value the bearer token the call was authenticated with
	 * @param request the new token's expiry, within the old one's lifetime from now
	 * @return the new token, with its string
	 */
	public TokenViews.Created rotateSelf(String value, TokenRequests.Rotate request) {
		this.validator.check(request);
		PersonalAccessToken token = this.tokens.findByDigest(TokenDigest.of(value))
			.orElseThrow(() -> new NotFoundException("The token that authenticated this call is gone"));
		Duration lifetime = Duration.between(token.createdAt(), token.expiresAt());
		if (request.expiresAt() != null && request.expiresAt().isAfter(this.clock.instant().plus(lifetime))) {
			throw new InvalidRequestException("expiresAt", "a token rotating itself may not outlive its own lifetime ("
					+ lifetime.toDays() + " days) from now");
		}
		return rotate(token, TokenMint.owner(this.owners, token.owner()), token.owner(), request.expiresAt(), "self",
				token.ceiling());
	}

	private TokenViews.Created rotate(PersonalAccessToken old, OwnerState user, String actor,
			@Nullable Instant requestedExpiry, String via, @Nullable Set<String> ceiling) {
		Instant now = this.clock.instant();
		if (old.rotatedTo() != null) {
			throw new ConflictException("Token '" + old.id() + "' was already rotated: rotate its successor");
		}
		if (old.isExpiredAt(now)) {
			throw new ConflictException("Token '" + old.id() + "' has expired: generate a new one");
		}
		if (!user.enabled() || !user.uid().equals(old.ownerUid())) {
			throw new ConflictException("User '" + user.username() + "' is disabled");
		}
		Instant expiresAt = withinApproval(old, now, requestedExpiry,
				(requestedExpiry != null) ? this.mint.expiry(now, requestedExpiry)
						: now.plus(min(Duration.between(old.createdAt(), old.expiresAt()), this.policy.maxLifetime())));
		String value = this.mint.format().generate();
		PersonalAccessToken successor = PersonalAccessToken.builder()
			.id(this.mint.newId())
			.digest(TokenDigest.of(value), this.mint.format().hint(value))
			.owner(old.owner(), old.ownerUid())
			.description(old.description())
			.scopes(old.scopes(), ceiling)
			.created(now, actor)
			.expiresAt(expiresAt)
			.family(old.family())
			.allowedIps(old.allowedIps())
			.audience(old.audience())
			.jkt(old.jkt())
			.build();
		if (!this.mint.save(successor, now, this.policy.maxPerUser() + 1)) {
			throw new ConflictException("User '" + old.owner() + "' already has more than " + this.policy.maxPerUser()
					+ " live tokens: revoke one first");
		}
		Instant retiresAt = now.plus(this.policy.rotationOverlap());
		// the old token may stand rotated on the primary: no cache may keep it working
		// past its overlap
		LatchkeyEvent rotated = LatchkeyEvent.tokenRotated(old.owner(), old.id(), old.digest(), old.audience(), now);
		TokenRepository.Rotation rotation = this.events.publishIfWriteFails(rotated,
				() -> this.tokens.markRotated(old, successor.id(), retiresAt, now));
		if (rotation != TokenRepository.Rotation.ROTATED) {
			this.tokens.delete(successor.owner(), successor.id(), successor.digest());
			throw (rotation == TokenRepository.Rotation.ALREADY_ROTATED)
					? new ConflictException("Token '" + old.id() + "' was already rotated: rotate its successor")
					: new NotFoundException("No token '" + old.id() + "' for user '" + old.owner() + "'");
		}
		this.events.publish(rotated);
		retirePredecessors(old, now);
		this.audit.record("token.rotated", actor, "owner", old.owner(), "token_id", old.id(), "new_token_id",
				successor.id(), "hint", successor.hint(), "retires_at", retiresAt.toString(), "via", via);
		return TokenMint.created(successor, value, old.id());
	}

	/**
	 * The successor's expiry within what approval allows ({@code lifetime-over}):
	 * rotation never extends a lifetime that would need approval, so the successor lives
	 * at most {@code lifetime-over} from now or as long as the old token was to live,
	 * whichever is later. An expiry asked for beyond that is refused (a token request
	 * gets a longer one); the default (the old token's lifetime again) is cut to it.
	 * Rotation never adds rights, so the rights of {@code required-for} are not asked
	 * about again.
	 */
	private Instant withinApproval(PersonalAccessToken old, Instant now, @Nullable Instant requestedExpiry,
			Instant expiresAt) {
		Duration over = this.policy.approval().lifetimeOver();
		if (over == null) {
			return expiresAt;
		}
		Instant allowed = now.plus(over);
		if (old.expiresAt().isAfter(allowed)) {
			allowed = old.expiresAt();
		}
		if (!expiresAt.isAfter(allowed)) {
			return expiresAt;
		}
		if (requestedExpiry != null) {
			throw new NotAllowedException(Rule.APPROVAL_REQUIRED,
					"A token living past " + allowed + " needs approval (lifetime over " + over.toDays()
							+ " days): rotate it with an earlier expiresAt, or file a token request "
							+ "(POST /api/me/token-requests)");
		}
		return allowed;
	}

	/**
	 * A predecessor still in its overlap stops now that its successor was rotated too, so
	 * that rotating in a chain never leaves more than two tokens of one family working.
	 */
	private void retirePredecessors(PersonalAccessToken rotated, Instant now) {
		if (this.policy.rotationOverlap().isZero()) {
			return;
		}
		for (PersonalAccessToken token : this.tokens.findByOwner(rotated.owner())) {
			if (rotated.id().equals(token.rotatedTo()) && token.isLiveAt(now)) {
				LatchkeyEvent retired = LatchkeyEvent.tokenRotated(token.owner(), token.id(), token.digest(),
						token.audience(), now);
				if (this.events.publishIfWriteFails(retired, () -> this.tokens.retire(token, now))) {
					this.events.publish(retired);
				}
			}
		}
	}

	private static Duration min(Duration one, Duration other) {
		return (one.compareTo(other) <= 0) ? one : other;
	}

}
