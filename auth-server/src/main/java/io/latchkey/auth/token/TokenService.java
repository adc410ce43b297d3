package io.latchkey.auth.token;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.latchkey.auth.LatchkeyProperties;
import io.latchkey.auth.system.ApiException;
import io.latchkey.auth.system.AuditLog;
import io.latchkey.auth.system.EventPublisher;
import io.latchkey.auth.system.Page;
import io.latchkey.auth.system.RequestValidator;
import io.latchkey.auth.user.Actor;
import io.latchkey.auth.user.DirectoryStore;
import io.latchkey.auth.user.OwnerState;
import io.latchkey.auth.user.RightsCatalog;
import io.latchkey.auth.user.User;
import io.latchkey.auth.user.UserService;

import org.springframework.stereotype.Service;
import org.springframework.util.Assert;

/**
 * Generates, lists, revokes and checks personal access tokens. The token string exists only in
 * the answer to {@link #generate}; everything else works on its digest.
 */
@Service
public class TokenService {

	private final TokenStore store;

	private final DirectoryStore directory;

	private final UserService users;

	private final RightsCatalog catalog;

	private final TokenFormat format;

	private final LatchkeyProperties.Tokens policy;

	private final AuditLog audit;

	private final EventPublisher events;

	private final Clock clock;

	private final RequestValidator validator;

	private final Duration reauthenticateAfter;

	private final SecureRandom random = new SecureRandom();

	public TokenService(TokenStore store, DirectoryStore directory, UserService users, RightsCatalog catalog,
			LatchkeyProperties properties, AuditLog audit, EventPublisher events, Clock clock,
			RequestValidator validator) {
		Assert.notNull(clock, "clock cannot be null");
		this.validator = validator;
		this.reauthenticateAfter = properties.portal().reauthenticateAfter();
		this.store = store;
		this.directory = directory;
		this.users = users;
		this.catalog = catalog;
		this.policy = properties.tokens();
		this.format = new TokenFormat(this.policy.prefix());
		this.audit = audit;
		this.events = events;
		this.clock = clock;
	}

	public TokenFormat format() {
		return this.format;
	}

	public LatchkeyProperties.Tokens policy() {
		return this.policy;
	}

	/**
	 * Generates a token for {@code owner}; the answer holds the only copy of the token string.
	 * The actor must have proved its password recently (never a bearer token), and may not hand
	 * out rights it does not hold: a token for somebody else whose rights exceed the actor's must
	 * be narrowed to scopes the actor holds.
	 */
	public TokenViews.Created generate(String owner, Actor actor, TokenRequests.Generate request) {
		actor.requirePassword("Generating a token");
		Instant now = this.clock.instant();
		if (actor.passwordVerifiedAt().plus(this.reauthenticateAfter).isBefore(now)) {
			throw ApiException.forbidden("Generating a token needs a password given within the last "
					+ this.reauthenticateAfter.toMinutes() + " minutes: sign in again, or use HTTP Basic");
		}
		this.validator.check(request);
		User user = this.users.find(owner);
		if (!actor.is(user.username())) {
			actor.require(RightsCatalog.TOKENS_MANAGE);
		}
		if (!user.enabled()) {
			throw ApiException.conflict("User '" + user.username() + "' is disabled");
		}
		Instant expiresAt = expiry(now, request.expiresAt());
		Set<String> scopes = this.catalog.validateScopes("scopes", request.scopes());
		if (!actor.is(user.username())) {
			Set<String> granted = scopes.isEmpty() ? this.users.rightsOf(user) : withoutSelfScope(scopes);
			actor.requireAll(granted, "This token would carry rights you do not hold: narrow it with \"scopes\" "
					+ "to rights you hold");
		}
		String value = this.format.generate();
		PersonalAccessToken token = new PersonalAccessToken(newId(), TokenDigest.of(value), this.format.hint(value),
				user.username(), user.uid(), blankToNull(request.description()), scopes, now, actor.username(),
				expiresAt, null, null);
		if (!this.store.save(token, Duration.between(now, expiresAt).plus(this.policy.keepExpiredFor()),
				this.policy.maxPerUser(), now)) {
			throw ApiException.conflict("User '" + user.username() + "' already has " + this.policy.maxPerUser()
					+ " live tokens, the most allowed: revoke one first");
		}
		this.audit.record("token.created", actor.username(), "owner", user.username(), "token_id", token.id(), "hint",
				token.hint());
		return new TokenViews.Created(token.id(), value, token.hint(), token.description(), token.scopes(),
				token.createdAt(), token.createdBy(), token.expiresAt());
	}

	private static Set<String> withoutSelfScope(Set<String> scopes) {
		Set<String> rights = new HashSet<>(scopes);
		rights.remove(RightsCatalog.SELF_SCOPE);
		return rights;
	}

	private Instant expiry(Instant now, Instant requested) {
		if (requested == null) {
			return now.plus(this.policy.defaultLifetime());
		}
		if (!requested.isAfter(now)) {
			throw ApiException.badField("expiresAt", "must be in the future");
		}
		if (requested.isAfter(now.plus(this.policy.maxLifetime()))) {
			throw ApiException.badField("expiresAt",
					"must be at most " + this.policy.maxLifetime().toDays() + " days from now");
		}
		return requested;
	}

	/** One page of the owner's tokens, newest first. */
	public Page<TokenViews.Listed> list(String owner, Page.Request page) {
		String username = this.users.find(owner).username();
		Instant now = this.clock.instant();
		List<TokenViews.Listed> all = this.store.findByOwner(username)
			.stream()
			.map((token) -> new TokenViews.Listed(token.id(), token.hint(), token.description(), token.scopes(),
					token.createdAt(), token.createdBy(), token.expiresAt(), token.isExpiredAt(now),
					token.lastUsedAt(), token.lastUsedFrom()))
			.toList();
		return new Page<>(page.slice(all), page, all.size());
	}

	/** Revokes one of the owner's tokens by id; 404 if the owner has no such token. */
	public void revoke(String owner, String id, String actor) {
		String digest = this.store.findDigest(owner, id)
			.orElseThrow(() -> ApiException.notFound("No token '" + id + "' for user '" + owner + "'"));
		revoke(this.users.find(owner).username(), id, digest, actor, "api");
	}

	/** Revokes every token of the owner; answers how many there were. */
	public int revokeAll(String owner, String actor) {
		String username = this.users.find(owner).username();
		List<PersonalAccessToken> tokens = this.store.findByOwner(username);
		for (PersonalAccessToken token : tokens) {
			this.store.delete(username, token.id(), token.digest());
		}
		this.events.userTokensRevoked(username);
		this.audit.record("token.revoked_all", actor, "owner", username, "count", Integer.toString(tokens.size()));
		return tokens.size();
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
		this.store.findByDigest(digest).ifPresent((token) -> revoke(token.owner(), token.id(), digest, actor, via));
	}

	private void revoke(String owner, String id, String digest, String actor, String via) {
		this.store.delete(owner, id, digest);
		this.events.tokenRevoked(owner, id, digest);
		this.audit.record("token.revoked", actor, "owner", owner, "token_id", id, "via", via);
	}

	/**
	 * The hot path: checks a presented token and answers what it may do now. Parse and checksum
	 * (no Redis for look-alikes), one read of the token record, one of the owner's state.
	 * @param from where the token was presented from, recorded as "last used from"
	 */
	public Optional<ActiveToken> introspect(String value, String from) {
		if (!this.format.isWellFormed(value)) {
			return Optional.empty();
		}
		Instant now = this.clock.instant();
		Optional<PersonalAccessToken> found = this.store.findByDigest(TokenDigest.of(value));
		if (found.isEmpty() || found.get().isExpiredAt(now)) {
			return Optional.empty();
		}
		PersonalAccessToken token = found.get();
		Optional<OwnerState> owner = this.directory.ownerState(token.owner());
		if (owner.isEmpty() || !owner.get().enabled() || !owner.get().uid().equals(token.ownerUid())) {
			return Optional.empty();
		}
		if (token.lastUsedAt() == null || !now.isBefore(token.lastUsedAt().plus(this.policy.lastUsedInterval()))) {
			this.store.touch(token.digest(), now, from);
		}
		return Optional.of(new ActiveToken(token, effectiveScopes(owner.get().rights(), token.scopes())));
	}

	/**
	 * The owner's current rights, within the token's narrowing if it has one; a narrowing that
	 * names {@link RightsCatalog#SELF_SCOPE} keeps it.
	 */
	static Set<String> effectiveScopes(Set<String> ownerRights, Set<String> narrowing) {
		Set<String> scopes = new HashSet<>(ownerRights);
		if (!narrowing.isEmpty()) {
			scopes.retainAll(narrowing);
			if (narrowing.contains(RightsCatalog.SELF_SCOPE)) {
				scopes.add(RightsCatalog.SELF_SCOPE);
			}
		}
		return scopes;
	}

	private String newId() {
		return TokenFormat.randomBase62(this.random, 16);
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
