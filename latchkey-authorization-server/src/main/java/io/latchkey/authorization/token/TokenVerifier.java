package io.latchkey.authorization.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.core.AddressRange;
import io.latchkey.core.TokenDigest;
import io.latchkey.core.TokenFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The hot path: is this string an active token, and what may it do now? Parse and checksum (no
 * store lookup for look-alikes), digest, the token record and the owner's current state (from
 * the {@link VerificationCache} when hot, so no round trip), effective scopes, and "last used"
 * noted for a background batch. The introspection endpoint and the API's own bearer
 * authentication both call it.
 */
public final class TokenVerifier {

	private final TokenFormat format;

	private final TokenRepository tokens;

	private final OwnerDirectory owners;

	private final TokenPolicy policy;

	private Clock clock = Clock.systemUTC();

	private @Nullable VerificationCache cache;

	private boolean cacheOwners;

	private @Nullable LastUseRecorder lastUses;

	private final Cache<String, Boolean> reusesReported = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(Duration.ofMinutes(1))
		.build();

	private BiConsumer<PersonalAccessToken, @Nullable String> reuseDetected = (token, from) -> {
	};

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

	/**
	 * Keeps token records (and, with {@code cacheOwners}, owners' states) in {@code cache}, so a
	 * hot token costs no round trip. Owners' states may only be cached when every change to them
	 * is announced by an event (Latchkey's own directory); an application's own
	 * {@code OwnerDirectory} is asked every time.
	 */
	public void setCache(VerificationCache cache, boolean cacheOwners) {
		Assert.notNull(cache, "cache cannot be null");
		this.cache = cache;
		this.cacheOwners = cacheOwners;
	}

	/** Writes "last used" off the request thread, in batches (otherwise at once, once per interval). */
	public void setLastUseRecorder(LastUseRecorder lastUses) {
		Assert.notNull(lastUses, "lastUses cannot be null");
		this.lastUses = lastUses;
	}

	/**
	 * Told when a token that was rotated away is presented after its overlap (at most once a
	 * minute per token on this instance); {@link TokenService#reuseDetected} records it.
	 */
	public void setReuseDetected(BiConsumer<PersonalAccessToken, @Nullable String> reuseDetected) {
		Assert.notNull(reuseDetected, "reuseDetected cannot be null");
		this.reuseDetected = reuseDetected;
	}

	/** Whether the string has this deployment's prefix, i.e. whether it is ours to answer for. */
	public boolean isOurs(@Nullable String value) {
		return this.format.hasPrefix(value);
	}

	/**
	 * The token's claims if it is active now; empty if it is malformed, unknown, expired, rotated
	 * away, presented from outside its allowlist, or its owner is disabled, deleted or a new
	 * account of the same name.
	 * @param from where the token was presented from, recorded as "last used from"
	 */
	public Optional<VerifiedToken> verify(@Nullable String value, @Nullable String from) {
		return verify(value, from, from);
	}

	/**
	 * As {@link #verify(String, String)}, for a use whose client address is known apart from
	 * "last used from" (a resource service reported the integration's address).
	 * @param address the integration's client address: checked against the token's allowlist
	 * and kept among its recent addresses; {@code null} if unknown, which no allowlist admits
	 */
	public Optional<VerifiedToken> verify(@Nullable String value, @Nullable String from, @Nullable String address) {
		if (value == null || !this.format.isWellFormed(value)) {
			return Optional.empty();
		}
		Instant now = this.clock.instant();
		String digest = TokenDigest.of(value);
		VerificationCache cache = this.cache;
		Optional<PersonalAccessToken> found = (cache != null) ? cache.token(digest, () -> this.tokens.findByDigest(digest))
				: this.tokens.findByDigest(digest);
		if (found.isEmpty() || found.get().isExpiredAt(now)) {
			return Optional.empty();
		}
		PersonalAccessToken token = found.get();
		if (token.isRetiredAt(now)) {
			if (this.reusesReported.asMap().putIfAbsent(digest, Boolean.TRUE) == null) {
				try {
					this.reuseDetected.accept(token, address);
				}
				catch (RuntimeException ex) {
					this.reusesReported.invalidate(digest);
					throw ex;
				}
			}
			return Optional.empty();
		}
		Optional<OwnerState> owner = (cache != null && this.cacheOwners)
				? cache.owner(token.owner(), () -> this.owners.ownerState(token.owner()))
				: this.owners.ownerState(token.owner());
		if (owner.isEmpty() || !owner.get().enabled() || !owner.get().uid().equals(token.ownerUid())) {
			return Optional.empty();
		}
		if (!token.allowedIps().isEmpty() && !AddressRange.anyContains(ranges(token), address)) {
			return Optional.empty();
		}
		recordUse(token, new LastUseRecorder.LastUse(digest, now, from, address));
		return Optional.of(VerifiedToken.of(token,
				AccessPolicy.effectiveScopes(owner.get().rights(), token.scopes(), token.ceiling())));
	}

	private static List<AddressRange> ranges(PersonalAccessToken token) {
		return AddressRange.parseAll(token.allowedIps());
	}

	private void recordUse(PersonalAccessToken token, LastUseRecorder.LastUse use) {
		if (this.lastUses != null) {
			this.lastUses.record(token, use);
		}
		else if (!LastUseRecorder.isRecorded(token, use, this.policy.lastUsedInterval())) {
			this.tokens.touchAll(List.of(use), this.policy.lastUsedInterval());
		}
	}

}
