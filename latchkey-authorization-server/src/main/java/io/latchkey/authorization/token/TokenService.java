package io.latchkey.authorization.token;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.Account;
import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.error.ConflictException;
import io.latchkey.authorization.error.InvalidRequestException;
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
 * answer to {@link #generate} and {@link #rotate}; everything else works on its digest. Who may
 * do what is the {@link AccessPolicy}'s decision. Revoking a token revokes every token it was
 * rotated into, transitively. Every revocation and rotation is published (after the store
 * acknowledged it) before it is audited. Checking a presented token is {@link TokenVerifier}'s
 * job; it reports a token presented after it was rotated away to {@link #reuseDetected}.
 */
public class TokenService {

	/** How often "revoke all" reads the owner's tokens again before it gives up on a race it keeps losing. */
	private static final int REVOKE_ALL_PASSES = 16;

	/** The longest rotation chain one revocation follows (a token is rotated once, so chains only grow slowly). */
	private static final int MAX_CHAIN = 1000;

	private final TokenRepository tokens;

	private final OwnerDirectory owners;

	private final RightsCatalog catalog;

	private final TokenFormat format;

	private final TokenPolicy policy;

	private final AccessPolicy access;

	private final AuditLog audit;

	private final EventPublisher events;

	private final RequestValidator validator;

	private final SecureRandom random = new SecureRandom();

	private Clock clock = Clock.systemUTC();

	public TokenService(TokenRepository tokens, OwnerDirectory owners, RightsCatalog catalog, TokenPolicy policy,
			AccessPolicy access, AuditLog audit, EventPublisher events, RequestValidator validator) {
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(owners, "owners cannot be null");
		Assert.notNull(catalog, "catalog cannot be null");
		Assert.notNull(policy, "policy cannot be null");
		Assert.notNull(access, "access cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		Assert.notNull(events, "events cannot be null");
		Assert.notNull(validator, "validator cannot be null");
		this.tokens = tokens;
		this.owners = owners;
		this.catalog = catalog;
		this.policy = policy;
		this.format = new TokenFormat(policy.prefix());
		this.access = access;
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
	 * The actor must have proved its password recently (never a bearer token), and a token for
	 * somebody else needs {@code tokens.manage}, outranking them, and gets a ceiling (see
	 * {@link AccessPolicy#generateToken}).
	 */
	public TokenViews.Created generate(String owner, Actor actor, TokenRequests.Generate request) {
		this.validator.check(request);
		Instant now = this.clock.instant();
		OwnerState user = owner(owner);
		Set<String> scopes = this.catalog.validateScopes("scopes", request.scopes());
		Set<String> ceiling = this.access.generateToken(actor, account(user), scopes);
		if (!user.enabled()) {
			throw new ConflictException("User '" + user.username() + "' is disabled");
		}
		Instant expiresAt = expiry(now, request.expiresAt());
		List<String> allowedIps = allowedIps(request.allowedIps());
		String value = this.format.generate();
		PersonalAccessToken token = PersonalAccessToken.builder()
			.id(newId())
			.digest(TokenDigest.of(value), this.format.hint(value))
			.owner(user.username(), user.uid())
			.description(Text.blankToNull(request.description()))
			.scopes(scopes, ceiling)
			.created(now, actor.username())
			.expiresAt(expiresAt)
			.allowedIps(allowedIps)
			.build();
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
		this.validator.check(request);
		OwnerState user = owner(owner);
		String digest = this.tokens.findDigest(user.username(), id)
			.orElseThrow(() -> new NotFoundException("No token '" + id + "' for user '" + owner + "'"));
		PersonalAccessToken token = this.tokens.findByDigest(digest)
			.orElseThrow(() -> new NotFoundException("No token '" + id + "' for user '" + owner + "'"));
		Set<String> ceiling = this.access.rotateToken(actor, account(user), token.ceiling());
		return rotate(token, user, actor.username(), request.expiresAt(), "api", ceiling);
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
		return rotate(token, owner(token.owner()), token.owner(), request.expiresAt(), "self", token.ceiling());
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
		Instant expiresAt = (requestedExpiry != null) ? expiry(now, requestedExpiry)
				: now.plus(min(Duration.between(old.createdAt(), old.expiresAt()), this.policy.maxLifetime()));
		String value = this.format.generate();
		PersonalAccessToken successor = PersonalAccessToken.builder()
			.id(newId())
			.digest(TokenDigest.of(value), this.format.hint(value))
			.owner(old.owner(), old.ownerUid())
			.description(old.description())
			.scopes(old.scopes(), ceiling)
			.created(now, actor)
			.expiresAt(expiresAt)
			.family(old.family())
			.allowedIps(old.allowedIps())
			.build();
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
					revokeChain(member.owner(), member.id(), member.digest(), "system", "reuse-detection");
				}
			}
		}
	}

	/** One page of the owner's tokens, newest first: one's own, or those of a user the actor outranks. */
	public Page<TokenViews.Listed> list(String owner, Page.Request page, Actor actor) {
		OwnerState user = owner(owner);
		this.access.listTokens(actor, account(user));
		String username = user.username();
		Instant now = this.clock.instant();
		List<TokenViews.Listed> all = this.tokens.findByOwner(username)
			.stream()
			.map((token) -> new TokenViews.Listed(token.id(), token.hint(), token.description(), token.scopes(),
					token.ceiling(), token.allowedIps(), token.createdAt(), token.createdBy(), token.expiresAt(),
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

	/**
	 * Revokes one of the owner's tokens by id, and every token it was rotated into; refused as not
	 * found if the owner has no such token. One's own, or anyone's with {@code tokens.manage}.
	 */
	public void revoke(String owner, String id, Actor actor) {
		String username = owner(owner).username();
		this.access.revokeTokens(actor, username);
		String digest = this.tokens.findDigest(username, id)
			.orElseThrow(() -> new NotFoundException("No token '" + id + "' for user '" + owner + "'"));
		revokeChain(username, id, digest, actor.username(), "api");
	}

	/**
	 * Revokes every token of the owner; answers how many there were. The owner's tokens are read
	 * again after each pass until none is left: a rotation that landed meanwhile (its successor
	 * saved after the first read, its old token marked before it was deleted) would otherwise
	 * leave the successor working, and whoever holds a stolen token could outlive "revoke all"
	 * by rotating it at the right moment. A rotation that comes too late finds its old token gone
	 * and withdraws its successor itself.
	 */
	public int revokeAll(String owner, Actor by) {
		String username = owner(owner).username();
		this.access.revokeTokens(by, username);
		String actor = by.username();
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
	 * Revokes a leaked token given its full string, wherever it belongs, with every token it was
	 * rotated into (needs {@code tokens.manage}). Says nothing about whether it existed.
	 */
	public void revokeLeaked(String value, Actor actor, String via) {
		this.access.revokeLeaked(actor);
		revokeByValue(value, actor.username(), via);
	}

	/**
	 * Revokes a token given its full string, wherever it belongs, with every token it was rotated
	 * into; for a caller already allowed to (an OAuth client at the revocation endpoint). Says
	 * nothing about whether it existed: the caller learns nothing about whose it was.
	 */
	public void revokeByValue(String value, String actor, String via) {
		if (!this.format.isWellFormed(value)) {
			return;
		}
		String digest = TokenDigest.of(value);
		this.tokens.findByDigest(digest)
			.ifPresent((token) -> revokeChain(token.owner(), token.id(), digest, actor, via));
	}

	/** A deleted user's token records go with it (they were dead already: no owner). */
	@EventListener
	public void onUserDeleted(UserDeleted deleted) {
		this.tokens.deleteRecords(deleted.tokenDigests());
	}

	private boolean save(PersonalAccessToken token, Instant now, int maxLive) {
		return this.tokens.save(token, Duration.between(now, token.expiresAt()).plus(this.policy.keepExpiredFor()),
				maxLive, now);
	}

	private static TokenViews.Created created(PersonalAccessToken token, String value, @Nullable String rotatedFrom) {
		return new TokenViews.Created(token.id(), value, token.hint(), token.description(), token.scopes(),
				token.ceiling(), token.allowedIps(), token.createdAt(), token.createdBy(), token.expiresAt(), rotatedFrom);
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

	/**
	 * Revokes a token and every token it was rotated into, transitively, newest first: a failure
	 * midway leaves the token that was asked for, so that retrying finds it again. Each deletion
	 * reads, in the same step, what the token was rotated into meanwhile, so a rotation racing
	 * the revocation is followed too (one that comes later finds its token gone and withdraws its
	 * successor itself). Each token's revocation is published; one audit record names them all.
	 */
	private void revokeChain(String owner, String id, String digest, String actor, String via) {
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
		for (int i = chain.size() - 1; i >= 0; i--) {
			String rotatedInto = deleteAndPublish(owner, chain.get(i)[0], chain.get(i)[1]);
			revoked.add(chain.get(i)[0]);
			while (rotatedInto != null && seen.add(rotatedInto) && revoked.size() < MAX_CHAIN) {
				String lateId = rotatedInto;
				rotatedInto = this.tokens.findDigest(owner, lateId)
					.map((lateDigest) -> deleteAndPublish(owner, lateId, lateDigest))
					.orElse(null);
				revoked.add(lateId);
			}
		}
		revoked.remove(id);
		if (revoked.isEmpty()) {
			this.audit.record("token.revoked", actor, "owner", owner, "token_id", id, "via", via);
		}
		else {
			this.audit.record("token.revoked", actor, "owner", owner, "token_id", id, "via", via, "rotated_into",
					String.join(" ", revoked));
		}
	}

	/** Deletes one token and publishes its revocation; answers the id it had been rotated into, if any. */
	private @Nullable String deleteAndPublish(String owner, String id, String digest) {
		LatchkeyEvent revoked = LatchkeyEvent.tokenRevoked(owner, id, digest, this.clock.instant());
		TokenRepository.Deletion deletion;
		try {
			deletion = this.tokens.delete(owner, id, digest);
		}
		catch (DataAccessException ex) {
			throw this.events.publishDespite(ex, revoked);
		}
		this.events.publish(revoked);
		return deletion.rotatedTo();
	}

	/** The owner as the access policy sees it (whether it has a password never matters for tokens). */
	private static Account account(OwnerState owner) {
		return new Account(owner.username(), owner.rights(), true, owner.enabled());
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

	private String newId() {
		return TokenFormat.randomBase62(this.random, 16);
	}


}
