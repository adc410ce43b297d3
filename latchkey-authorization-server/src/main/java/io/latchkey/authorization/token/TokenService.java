package io.latchkey.authorization.token;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.error.ConflictException;
import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.error.NotAllowedException;
import io.latchkey.authorization.error.NotFoundException;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.event.EventPublisher;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.authorization.owner.UserDeleted;
import io.latchkey.authorization.support.Page;
import io.latchkey.authorization.support.RequestValidator;
import io.latchkey.authorization.support.Text;
import io.latchkey.core.AddressRange;
import io.latchkey.core.TokenDigest;
import io.latchkey.core.TokenFormat;
import io.latchkey.core.event.EventType;
import io.latchkey.core.event.LatchkeyEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.util.Assert;

/**
 * The token lifecycle: generate, list, rotate, revoke. The token string exists only in the
 * answer to {@link #generate} and {@link #rotate}; everything else works on its digest. Every
 * revocation and rotation is published (after the store acknowledged it) before it is audited.
 * Checking a presented token is {@link TokenVerifier}'s job; it reports a token presented after
 * it was rotated away to {@link #reuseDetected}.
 */
public class TokenService {

	/** How often "revoke all" reads the owner's tokens again before it gives up on a race it keeps losing. */
	private static final int REVOKE_ALL_PASSES = 16;

	private final TokenRepository tokens;

	private final OwnerDirectory owners;

	private final RightsCatalog catalog;

	private final TokenFormat format;

	private final TokenPolicy policy;

	private final Duration reauthenticateAfter;

	private final AuditLog audit;

	private final EventPublisher events;

	private final RequestValidator validator;

	private final SecureRandom random = new SecureRandom();

	private Clock clock = Clock.systemUTC();

	public TokenService(TokenRepository tokens, OwnerDirectory owners, RightsCatalog catalog, TokenPolicy policy,
			Duration reauthenticateAfter, AuditLog audit, EventPublisher events, RequestValidator validator) {
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(owners, "owners cannot be null");
		Assert.notNull(catalog, "catalog cannot be null");
		Assert.notNull(policy, "policy cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		Assert.notNull(events, "events cannot be null");
		Assert.notNull(validator, "validator cannot be null");
		this.tokens = tokens;
		this.owners = owners;
		this.catalog = catalog;
		this.policy = policy;
		this.format = new TokenFormat(policy.prefix());
		this.reauthenticateAfter = reauthenticateAfter;
		this.audit = audit;
		this.events = events;
		this.validator = validator;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	public TokenPolicy policy() {
		return this.policy;
	}

	/**
	 * Generates a token for {@code owner}; the answer holds the only copy of the token string.
	 * The actor must have proved its password recently (never a bearer token), and may not hand
	 * out rights it does not hold: a token for somebody else whose rights exceed the actor's must
	 * be narrowed to scopes the actor holds.
	 */
	public TokenViews.Created generate(String owner, Actor actor, TokenRequests.Generate request) {
		requireRecentPassword(actor, "Generating a token");
		Instant now = this.clock.instant();
		this.validator.check(request);
		OwnerState user = owner(owner);
		boolean forSomebodyElse = !actor.is(user.username());
		if (forSomebodyElse) {
			actor.require(RightsCatalog.TOKENS_MANAGE);
		}
		if (!user.enabled()) {
			throw new ConflictException("User '" + user.username() + "' is disabled");
		}
		Instant expiresAt = expiry(now, request.expiresAt());
		Set<String> scopes = this.catalog.validateScopes("scopes", request.scopes());
		List<String> allowedIps = allowedIps(request.allowedIps());
		if (forSomebodyElse) {
			Set<String> granted = scopes.isEmpty() ? user.rights() : withoutSelfScope(scopes);
			actor.requireAll(granted, "This token would carry rights you do not hold: narrow it with \"scopes\" "
					+ "to rights you hold");
		}
		String value = this.format.generate();
		String id = newId();
		PersonalAccessToken token = PersonalAccessToken.created(id, TokenDigest.of(value), this.format.hint(value),
				user.username(), user.uid(), Text.blankToNull(request.description()), scopes, now, actor.username(),
				expiresAt, id, allowedIps);
		if (!save(token, now, this.policy.maxPerUser())) {
			throw new ConflictException("User '" + user.username() + "' already has " + this.policy.maxPerUser()
					+ " live tokens, the most allowed: revoke one first");
		}
		this.audit.record("token.created", actor.username(), "owner", user.username(), "token_id", token.id(), "hint",
				token.hint());
		return created(token, value, null);
	}

	/**
	 * Rotates one of the owner's tokens by id: a new token with the same description, scopes and
	 * allowlist and a fresh expiry, shown once; the old one stops working at once or after the
	 * policy's overlap. Like generating, it needs a recent password (and {@code tokens.manage} and
	 * no escalation for somebody else's token): a bearer token rotates only itself
	 * ({@link #rotateSelf}).
	 */
	public TokenViews.Created rotate(String owner, String id, Actor actor, TokenRequests.Rotate request) {
		requireRecentPassword(actor, "Rotating a token");
		this.validator.check(request);
		OwnerState user = owner(owner);
		String digest = this.tokens.findDigest(user.username(), id)
			.orElseThrow(() -> new NotFoundException("No token '" + id + "' for user '" + owner + "'"));
		PersonalAccessToken token = this.tokens.findByDigest(digest)
			.orElseThrow(() -> new NotFoundException("No token '" + id + "' for user '" + owner + "'"));
		if (!actor.is(user.username())) {
			actor.require(RightsCatalog.TOKENS_MANAGE);
			Set<String> granted = token.scopes().isEmpty() ? user.rights() : withoutSelfScope(token.scopes());
			actor.requireAll(granted, "The new token would carry rights you do not hold");
		}
		return rotate(token, user, actor.username(), request.expiresAt(), "api");
	}

	/**
	 * Rotates the very token that authenticated the call (GitLab's self-rotation): it replaces
	 * the token, never adds one, so an integration can renew its own credential without a
	 * password. {@code value} is the bearer token the call was authenticated with.
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
		return rotate(token, owner(token.owner()), token.owner(), request.expiresAt(), "self");
	}

	private TokenViews.Created rotate(PersonalAccessToken old, OwnerState user, String actor,
			@Nullable Instant requestedExpiry, String via) {
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
		Instant expiresAt = (requestedExpiry != null) ? expiry(now, requestedExpiry)
				: now.plus(min(Duration.between(old.createdAt(), old.expiresAt()), this.policy.maxLifetime()));
		String value = this.format.generate();
		PersonalAccessToken successor = PersonalAccessToken.created(newId(), TokenDigest.of(value),
				this.format.hint(value), old.owner(), old.ownerUid(), old.description(), old.scopes(), now, actor,
				expiresAt, old.family(), old.allowedIps());
		if (!save(successor, now, this.policy.maxPerUser() + 1)) {
			throw new ConflictException("User '" + old.owner() + "' already has more than " + this.policy.maxPerUser()
					+ " live tokens: revoke one first");
		}
		Instant retiresAt = now.plus(this.policy.rotationOverlap());
		LatchkeyEvent rotated = LatchkeyEvent.tokenRotated(old.owner(), old.id(), old.digest(), now);
		TokenRepository.Rotation rotation;
		try {
			rotation = this.tokens.markRotated(old, successor.id(), retiresAt, now);
		}
		catch (DataAccessException ex) {
			// the old token may stand rotated on the primary: no cache may keep it working past its overlap
			throw this.events.publishDespite(ex, rotated);
		}
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
		return created(successor, value, old.id());
	}

	/**
	 * A predecessor still in its overlap stops now that its successor was rotated too, so that
	 * rotating in a chain never leaves more than two tokens of one family working.
	 */
	private void retirePredecessors(PersonalAccessToken rotated, Instant now) {
		if (this.policy.rotationOverlap().isZero()) {
			return;
		}
		for (PersonalAccessToken token : this.tokens.findByOwner(rotated.owner())) {
			if (rotated.id().equals(token.rotatedTo()) && token.isLiveAt(now)) {
				LatchkeyEvent retired = LatchkeyEvent.tokenRotated(token.owner(), token.id(), token.digest(), now);
				try {
					if (!this.tokens.retire(token, now)) {
						continue;
					}
				}
				catch (DataAccessException ex) {
					throw this.events.publishDespite(ex, retired);
				}
				this.events.publish(retired);
			}
		}
	}

	/**
	 * A token that was rotated away was presented after its overlap: recorded, and with
	 * {@code rotated-reuse: revoke-family} every token of its rotation chain is revoked (whoever
	 * holds the old one may hold the new one too).
	 */
	public void reuseDetected(PersonalAccessToken token, @Nullable String from) {
		boolean revoke = this.policy.rotatedReuse() == TokenPolicy.ReusePolicy.REVOKE_FAMILY;
		this.audit.record("token.reuse_detected", "system", "owner", token.owner(), "token_id", token.id(), "family",
				token.family(), "from", String.valueOf(from), "action", revoke ? "revoke-family" : "alert");
		if (revoke) {
			for (PersonalAccessToken member : this.tokens.findByOwner(token.owner())) {
				if (member.family().equals(token.family())) {
					revoke(member.owner(), member.id(), member.digest(), "system", "reuse-detection");
				}
			}
		}
	}

	/** One page of the owner's tokens, newest first. */
	public Page<TokenViews.Listed> list(String owner, Page.Request page) {
		String username = owner(owner).username();
		Instant now = this.clock.instant();
		List<TokenViews.Listed> all = this.tokens.findByOwner(username)
			.stream()
			.map((token) -> new TokenViews.Listed(token.id(), token.hint(), token.description(), token.scopes(),
					token.allowedIps(), token.createdAt(), token.createdBy(), token.expiresAt(),
					token.isExpiredAt(now), status(token, now), token.lastUsedAt(), token.lastUsedFrom(),
					token.recentUses(), token.rotatedTo(), token.retiresAt()))
			.toList();
		return new Page<>(page.slice(all), page, all.size());
	}

	private static String status(PersonalAccessToken token, Instant now) {
		if (token.rotatedTo() != null) {
			return "rotated";
		}
		return token.isExpiredAt(now) ? "expired" : "active";
	}

	/** For each of these users that has any: how many of its tokens expire within {@code within} from now. */
	public Map<String, Integer> expiringSoon(List<String> owners, Duration within) {
		Instant now = this.clock.instant();
		return this.tokens.expiringBetween(owners, now, now.plus(within));
	}

	/** Revokes one of the owner's tokens by id; refused as not found if the owner has no such token. */
	public void revoke(String owner, String id, String actor) {
		String username = owner(owner).username();
		String digest = this.tokens.findDigest(username, id)
			.orElseThrow(() -> new NotFoundException("No token '" + id + "' for user '" + owner + "'"));
		revoke(username, id, digest, actor, "api");
	}

	/**
	 * Revokes every token of the owner; answers how many there were. The owner's tokens are read
	 * again after each pass until none is left: a rotation that landed meanwhile (its successor
	 * saved after the first read, its old token marked before it was deleted) would otherwise
	 * leave the successor working, and whoever holds a stolen token could outlive "revoke all"
	 * by rotating it at the right moment. A rotation that comes too late finds its old token gone
	 * and withdraws its successor itself.
	 */
	public int revokeAll(String owner, String actor) {
		String username = owner(owner).username();
		LatchkeyEvent revoked = LatchkeyEvent.user(EventType.USER_TOKENS_REVOKED, username, this.clock.instant());
		Set<String> gone = new HashSet<>();
		try {
			List<PersonalAccessToken> pass = this.tokens.findByOwner(username);
			for (int passes = 0; !pass.isEmpty(); passes++) {
				if (passes == REVOKE_ALL_PASSES) {
					throw new ConflictException("Tokens of user '" + username
							+ "' keep being created while they are revoked: disable the user, then revoke them");
				}
				for (PersonalAccessToken token : pass) {
					this.tokens.delete(username, token.id(), token.digest());
					gone.add(token.id());
				}
				pass = this.tokens.findByOwner(username);
			}
		}
		catch (DataAccessException ex) {
			throw this.events.publishDespite(ex, revoked);
		}
		catch (ConflictException ex) {
			this.events.publish(revoked);
			this.audit.record("token.revoked_all", actor, "owner", username, "count", Integer.toString(gone.size()),
					"complete", "false");
			throw ex;
		}
		this.events.publish(revoked);
		this.audit.record("token.revoked_all", actor, "owner", username, "count", Integer.toString(gone.size()));
		return gone.size();
	}

	/**
	 * Revokes a token given its full string, wherever it belongs. Says nothing about whether it
	 * existed: the caller learns nothing about whose it was.
	 */
	public void revokeByValue(String value, String actor, String via) {
		if (!this.format.isWellFormed(value)) {
			return;
		}
		String digest = TokenDigest.of(value);
		this.tokens.findByDigest(digest).ifPresent((token) -> revoke(token.owner(), token.id(), digest, actor, via));
	}

	/** A deleted user's token records go with it (they were dead already: no owner). */
	@EventListener
	public void onUserDeleted(UserDeleted deleted) {
		this.tokens.deleteRecords(deleted.tokenDigests());
	}

	private void requireRecentPassword(Actor actor, String what) {
		actor.requirePassword(what);
		if (actor.passwordVerifiedAt().plus(this.reauthenticateAfter).isBefore(this.clock.instant())) {
			throw new NotAllowedException(what + " needs a password given within the last "
					+ this.reauthenticateAfter.toMinutes() + " minutes: sign in again, or use HTTP Basic");
		}
	}

	private boolean save(PersonalAccessToken token, Instant now, int maxLive) {
		return this.tokens.save(token, Duration.between(now, token.expiresAt()).plus(this.policy.keepExpiredFor()),
				maxLive, now);
	}

	private static TokenViews.Created created(PersonalAccessToken token, String value, @Nullable String rotatedFrom) {
		return new TokenViews.Created(token.id(), value, token.hint(), token.description(), token.scopes(),
				token.allowedIps(), token.createdAt(), token.createdBy(), token.expiresAt(), rotatedFrom);
	}

	/** The allowlist in canonical CIDR form, or a refusal naming the field. */
	private static List<String> allowedIps(@Nullable List<String> requested) {
		if (requested == null) {
			return List.of();
		}
		List<String> ranges = new ArrayList<>();
		for (String value : requested) {
			try {
				String range = AddressRange.parse(value).toString();
				if (!ranges.contains(range)) {
					ranges.add(range);
				}
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRequestException("allowedIps", ex.getMessage());
			}
		}
		return ranges;
	}

	private static Duration min(Duration one, Duration other) {
		return (one.compareTo(other) <= 0) ? one : other;
	}

	private void revoke(String owner, String id, String digest, String actor, String via) {
		LatchkeyEvent revoked = LatchkeyEvent.tokenRevoked(owner, id, digest, this.clock.instant());
		try {
			this.tokens.delete(owner, id, digest);
		}
		catch (DataAccessException ex) {
			throw this.events.publishDespite(ex, revoked);
		}
		this.events.publish(revoked);
		this.audit.record("token.revoked", actor, "owner", owner, "token_id", id, "via", via);
	}

	private OwnerState owner(String username) {
		return this.owners.ownerState(username)
			.orElseThrow(() -> new NotFoundException("No user '" + username + "'"));
	}

	private Instant expiry(Instant now, @Nullable Instant requested) {
		if (requested == null) {
			return now.plus(this.policy.defaultLifetime());
		}
		if (!requested.isAfter(now)) {
			throw new InvalidRequestException("expiresAt", "must be in the future");
		}
		if (requested.isAfter(now.plus(this.policy.maxLifetime()))) {
			throw new InvalidRequestException("expiresAt",
					"must be at most " + this.policy.maxLifetime().toDays() + " days from now");
		}
		return requested;
	}

	private static Set<String> withoutSelfScope(Set<String> scopes) {
		Set<String> rights = new HashSet<>(scopes);
		rights.remove(RightsCatalog.SELF_SCOPE);
		return rights;
	}

	private String newId() {
		return TokenFormat.randomBase62(this.random, 16);
	}


}
