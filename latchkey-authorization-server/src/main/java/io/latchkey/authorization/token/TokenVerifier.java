package io.latchkey.authorization.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.core.AddressRange;
import io.latchkey.core.TokenDigest;
import io.latchkey.core.TokenFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

/**
 * The hot path: is this string an active token, and what may it do now? Parse and
 * checksum (no store lookup for look-alikes), digest, the token record and the owner's
 * current state (from the {@link VerificationCache} when hot, so no round trip),
 * effective scopes, and "last used" noted for a background batch. The introspection
 * endpoint and the API's own bearer authentication both call it.
 */
public final class TokenVerifier {

	private final TokenFormat format;

	private final TokenRepository tokens;

	private final OwnerDirectory owners;

	private final LastUseRecorder lastUses;

	private final ApplicationEventPublisher events;

	private Clock clock = Clock.systemUTC();

	private @Nullable VerificationCache cache;

	private final Cache<String, Boolean> reusesReported = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(Duration.ofMinutes(1))
		.build();

	/** Allowlists by token digest, parsed once: a token's allowlist never changes. */
	private final Cache<String, List<AddressRange>> allowlists = Caffeine.newBuilder().maximumSize(10_000).build();

	/**
	 * @param format this deployment's token format
	 * @param tokens where token records are read
	 * @param owners where owners' current states are read
	 * @param lastUses where uses are noted, for a background batch
	 * @param events where a rotated token presented again is announced
	 * ({@link TokenReuseDetected})
	 */
	public TokenVerifier(TokenFormat format, TokenRepository tokens, OwnerDirectory owners, LastUseRecorder lastUses,
			ApplicationEventPublisher events) {
		Assert.notNull(format, "format cannot be null");
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(owners, "owners cannot be null");
		Assert.notNull(lastUses, "lastUses cannot be null");
		Assert.notNull(events, "events cannot be null");
		this.format = format;
		this.tokens = tokens;
		this.owners = owners;
		this.lastUses = lastUses;
		this.events = events;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Keeps token records in {@code cache}, so a hot token costs no round trip, and
	 * owners' states too when the directory {@link OwnerDirectory#announcesChanges()
	 * announces every change} (otherwise it is asked every time).
	 * @param cache the verification cache the events keep honest
	 */
	public void setCache(VerificationCache cache) {
		Assert.notNull(cache, "cache cannot be null");
		this.cache = cache;
	}

	/**
	 * Whether the string has this deployment's prefix, i.e. whether it is ours to answer
	 * for.
	 */
	public boolean isOurs(@Nullable String value) {
		return this.format.hasPrefix(value);
	}

	/**
	 * The token's claims if it is active now; empty if it is malformed, unknown, expired,
	 * rotated away, presented from outside its allowlist, or its owner is disabled,
	 * deleted or a new account of the same name.
	 * @param value the token as presented
	 * @param from where the token was presented from, recorded as "last used from"
	 * @return its claims, or empty if it is not active
	 */
	public Optional<VerifiedToken> verify(@Nullable String value, @Nullable String from) {
		return verify(value, from, from);
	}

	/**
	 * As {@link #verify(String, String)}, for a use whose client address is known apart
	 * from "last used from" (a resource service reported the integration's address).
	 * @param value the token as presented
	 * @param from where the token was presented from, recorded as "last used from"
	 * @param address the integration's client address: checked against the token's
	 * allowlist and kept among its recent addresses; {@code null} if unknown, which no
	 * allowlist admits
	 * @return its claims, or empty if it is not active
	 */
	public Optional<VerifiedToken> verify(@Nullable String value, @Nullable String from, @Nullable String address) {
		return verify(value, from, address, null);
	}

	/**
	 * As {@link #verify(String, String, String)}, for a service that may use only the
	 * tokens meant for it: a token whose audience does not name it is not active there,
	 * and nothing of the attempt is recorded.
	 * @param value the token as presented
	 * @param from where the token was presented from, recorded as "last used from"
	 * @param address the integration's client address, or {@code null}
	 * @param audience the client id of the service asking
	 * ({@link ResourceServices#MANAGEMENT_API} for the management API); {@code null}:
	 * whichever
	 * @return its claims, or empty if it is not active for that service
	 */
	public Optional<VerifiedToken> verify(@Nullable String value, @Nullable String from, @Nullable String address,
			@Nullable String audience) {
		if (value == null || !this.format.isWellFormed(value)) {
			return Optional.empty();
		}
		Instant now = this.clock.instant();
		String digest = TokenDigest.of(value);
		VerificationCache cache = this.cache;
		Optional<PersonalAccessToken> found = (cache != null)
				? cache.token(digest, () -> this.tokens.findByDigest(digest)) : this.tokens.findByDigest(digest);
		if (found.isEmpty() || found.get().isExpiredAt(now)) {
			return Optional.empty();
		}
		PersonalAccessToken token = found.get();
		if (audience != null && !token.isMeantFor(audience)) {
			return Optional.empty();
		}
		if (token.isRetiredAt(now)) {
			reused(token, address);
			return Optional.empty();
		}
		Optional<OwnerState> owner = (cache != null && this.owners.announcesChanges())
				? cache.owner(token.owner(), () -> this.owners.ownerState(token.owner()))
				: this.owners.ownerState(token.owner());
		if (owner.isEmpty() || !owner.get().enabled() || !owner.get().uid().equals(token.ownerUid())) {
			return Optional.empty();
		}
		if (!token.allowedIps().isEmpty() && !AddressRange
			.anyContains(this.allowlists.get(digest, (key) -> AddressRange.parseAll(token.allowedIps())), address)) {
			return Optional.empty();
		}
		this.lastUses.record(token, new LastUse(digest, now, from, address));
		return Optional.of(VerifiedToken.of(token,
				AccessPolicy.effectiveScopes(owner.get().rights(), token.scopes(), token.ceiling())));
	}

	/**
	 * Announced once a minute per token here; a failure to act on it lets the next one
	 * try again.
	 */
	private void reused(PersonalAccessToken token, @Nullable String address) {
		if (this.reusesReported.asMap().putIfAbsent(token.digest(), Boolean.TRUE) == null) {
			try {
				this.events.publishEvent(new TokenReuseDetected(token, address));
			}
			catch (RuntimeException ex) {
				this.reusesReported.invalidate(token.digest());
				throw ex;
			}
		}
	}

}
