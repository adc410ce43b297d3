package io.latchkey.authorization.token;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.core.TokenDigest;
import io.latchkey.core.TokenFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The hot path: is this string an active token, and what may it do now? Parse and checksum (no
 * store lookup for look-alikes), digest, one read of the token record, the owner's current
 * state, effective scopes, and "last used" at most once per interval. The introspection endpoint
 * and the API's own bearer authentication both call it.
 */
public final class TokenVerifier {

	private final TokenFormat format;

	private final TokenRepository tokens;

	private final OwnerDirectory owners;

	private final TokenPolicy policy;

	private Clock clock = Clock.systemUTC();

	public TokenVerifier(TokenFormat format, TokenRepository tokens, OwnerDirectory owners, TokenPolicy policy) {
		Assert.notNull(format, "format cannot be null");
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(owners, "owners cannot be null");
		Assert.notNull(policy, "policy cannot be null");
		this.format = format;
		this.tokens = tokens;
		this.owners = owners;
		this.policy = policy;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/** Whether the string has this deployment's prefix, i.e. whether it is ours to answer for. */
	public boolean isOurs(@Nullable String value) {
		return this.format.hasPrefix(value);
	}

	/**
	 * The token's claims if it is active now; empty if it is malformed, unknown, expired, or its
	 * owner is disabled, deleted or a new account of the same name.
	 * @param from where the token was presented from, recorded as "last used from"
	 */
	public Optional<VerifiedToken> verify(@Nullable String value, @Nullable String from) {
		if (value == null || !this.format.isWellFormed(value)) {
			return Optional.empty();
		}
		Instant now = this.clock.instant();
		Optional<PersonalAccessToken> found = this.tokens.findByDigest(TokenDigest.of(value));
		if (found.isEmpty() || found.get().isExpiredAt(now)) {
			return Optional.empty();
		}
		PersonalAccessToken token = found.get();
		Optional<OwnerState> owner = this.owners.ownerState(token.owner());
		if (owner.isEmpty() || !owner.get().enabled() || !owner.get().uid().equals(token.ownerUid())) {
			return Optional.empty();
		}
		if (token.lastUsedAt() == null || !now.isBefore(token.lastUsedAt().plus(this.policy.lastUsedInterval()))) {
			this.tokens.touch(token.digest(), now, from);
		}
		return Optional.of(VerifiedToken.of(token, effectiveScopes(owner.get().rights(), token.scopes())));
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

}
