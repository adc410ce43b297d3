package io.latchkey.resource.introspection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.latchkey.core.AddressRange;
import io.latchkey.core.TokenDigest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;

/**
 * Introspection answers by the SHA-256 of the token (never the token): bounded in size, an
 * active answer kept no longer than the token's {@code exp} nor the maximum age, an inactive one
 * for a short while so that floods of bad tokens do not reach the auth server. Entries are
 * dropped per token, per user, or all at once when revocation events say so. An answer fetched
 * while any drop happened is not kept: it may predate the revocation that caused the drop.
 */
public final class IntrospectionCache {

	/**
	 * A cached answer: the principal when active, null when inactive; an active token's
	 * allowlist ({@code allowed_ips}), empty when it may be used from anywhere.
	 */
	public record Answer(@Nullable OAuth2AuthenticatedPrincipal principal, Duration keepFor,
			List<AddressRange> allowedIps) {

		public Answer {
			allowedIps = List.copyOf(allowedIps);
		}

		public boolean active() {
			return this.principal != null;
		}

		/** Whether the answer holds for a request from {@code address}: inside the token's allowlist, if any. */
		public boolean admits(@Nullable String address) {
			return this.allowedIps.isEmpty() || AddressRange.anyContains(this.allowedIps, address);
		}

		public @Nullable String username() {
			return (this.principal != null) ? this.principal.getName() : null;
		}

	}

	private final Cache<String, Answer> answers;

	private final Duration maxAge;

	private final Duration inactiveTtl;

	private final Clock clock;

	private final AtomicLong generation = new AtomicLong();

	public IntrospectionCache(long maxSize, Duration maxAge, Duration inactiveTtl, Clock clock) {
		this.maxAge = maxAge;
		this.inactiveTtl = inactiveTtl;
		this.clock = clock;
		this.answers = Caffeine.newBuilder()
			.maximumSize(maxSize)
			.ticker(() -> {
				Instant now = clock.instant();
				return now.getEpochSecond() * 1_000_000_000L + now.getNano();
			})
			.expireAfter(Expiry.creating((String key, Answer answer) -> answer.keepFor()))
			.recordStats()
			.build();
	}

	/** The Caffeine cache itself, for its statistics (Micrometer's {@code CaffeineCacheMetrics}). */
	public Cache<String, Answer> caffeine() {
		return this.answers;
	}

	/** The cached answer for this token, if there is one, as for a request of unknown address. */
	public @Nullable Answer get(String token) {
		return get(token, null);
	}

	/**
	 * The cached answer for this token presented from {@code address}, if there is one: an
	 * active answer is kept per token, an inactive one per token and address (the token may be
	 * inactive only because of where it was presented from).
	 */
	public @Nullable Answer get(String token, @Nullable String address) {
		String digest = digest(token);
		Answer active = this.answers.getIfPresent(digest);
		return (active != null) ? active : this.answers.getIfPresent(inactiveKey(digest, address));
	}

	/** Taken before asking the auth server, handed back to the put methods. */
	public long generation() {
		return this.generation.get();
	}

	/** Keeps an active answer obtained after {@link #generation()} was {@code askedAt}, unless a drop came since. */
	public void putActive(String token, OAuth2AuthenticatedPrincipal principal, long askedAt) {
		Duration keepFor = this.maxAge;
		Object exp = principal.getAttribute("exp");
		if (exp instanceof Instant expiresAt) {
			Duration untilExpiry = Duration.between(this.clock.instant(), expiresAt);
			if (untilExpiry.compareTo(keepFor) < 0) {
				keepFor = untilExpiry;
			}
		}
		if (!keepFor.isNegative() && !keepFor.isZero()) {
			put(digest(token), new Answer(principal, keepFor, allowedIps(principal)), askedAt);
		}
	}

	/** Keeps an inactive answer for a token from an address briefly, unless a drop came since {@code askedAt}. */
	public void putInactive(String token, @Nullable String address, long askedAt) {
		put(inactiveKey(digest(token), address), new Answer(null, this.inactiveTtl, List.of()), askedAt);
	}

	static String inactiveKey(String digest, @Nullable String address) {
		return digest + " " + address;
	}

	/** The token's allowlist from the answer; a malformed one admits nobody rather than everybody. */
	private static List<AddressRange> allowedIps(OAuth2AuthenticatedPrincipal principal) {
		Object claim = principal.getAttribute(AddressRange.ALLOWED_IPS_CLAIM);
		if (claim == null) {
			return List.of();
		}
		try {
			List<AddressRange> ranges = (claim instanceof Collection<?> values)
					? AddressRange.parseAll(values.stream().map(String::valueOf).toList())
					: AddressRange.parseAll(List.of(String.valueOf(claim).split(" ")));
			return ranges.isEmpty() ? List.of(AddressRange.parse("0.0.0.0/32")) : ranges;
		}
		catch (IllegalArgumentException ex) {
			return List.of(AddressRange.parse("0.0.0.0/32"));
		}
	}

	private void put(String key, Answer answer, long askedAt) {
		this.answers.put(key, answer);
		if (this.generation.get() != askedAt) {
			this.answers.invalidate(key);
		}
	}

	/**
	 * Drops the answer for one token, given the digest the auth server publishes (an inactive
	 * answer stays inactive: nothing to drop).
	 */
	public void dropDigest(String tokenDigest) {
		this.generation.incrementAndGet();
		this.answers.invalidate(tokenDigest);
	}

	/** Drops every answer about the user's tokens. */
	public void dropUser(String username) {
		this.generation.incrementAndGet();
		this.answers.asMap().values().removeIf((answer) -> username.equals(answer.username()));
	}

	public void dropAll() {
		this.generation.incrementAndGet();
		this.answers.invalidateAll();
	}

	public long size() {
		return this.answers.estimatedSize();
	}

	static String digest(String token) {
		return TokenDigest.of(token);
	}

}
