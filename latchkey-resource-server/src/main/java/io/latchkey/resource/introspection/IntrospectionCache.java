package io.latchkey.resource.introspection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import io.latchkey.core.AddressRange;
import io.latchkey.core.TokenDigest;
import io.latchkey.core.cache.EventDrivenCache;
import io.latchkey.core.cache.GenerationalCache;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;

/**
 * Introspection answers by the SHA-256 of the token (never the token): bounded in size,
 * an active answer kept no longer than the token's {@code exp} nor the maximum age, an
 * inactive one for a short while so that floods of bad tokens do not reach the auth
 * server. The auth server's events drop entries by the rule of {@link EventDrivenCache}.
 * An answer fetched while any drop happened is not kept: it may predate the revocation
 * that caused the drop. While the events subscription is away it keeps serving within the
 * maximum age (its answers are allowed to be that old), and it empties when the
 * subscription is back.
 *
 * @since 0.1
 */
public final class IntrospectionCache implements EventDrivenCache {

	/**
	 * A cached answer: the principal when active, null when inactive; an active token's
	 * allowlist ({@code allowed_ips}), empty when it may be used from anywhere; and the
	 * client addresses the auth server heard of while it was kept (the one it was fetched
	 * for, then each address it served), so that each new one is reported once.
	 */
	public record Answer(@Nullable OAuth2AuthenticatedPrincipal principal, Duration keepFor,
			List<AddressRange> allowedIps, Set<String> reportedFrom) {

		/** The most addresses one answer reports; past them it serves without asking. */
		static final int MAX_REPORTED = 100;

		public Answer {
			allowedIps = List.copyOf(allowedIps);
		}

		/** An answer fetched for a request from {@code address}, if known. */
		public Answer(@Nullable OAuth2AuthenticatedPrincipal principal, Duration keepFor, List<AddressRange> allowedIps,
				@Nullable String address) {
			this(principal, keepFor, allowedIps, ConcurrentHashMap.newKeySet());
			if (address != null) {
				this.reportedFrom.add(address);
			}
		}

		/**
		 * Whether the auth server has not heard through this answer that the token is
		 * used from {@code address}: true once per address (the caller then tells it),
		 * false for an address it heard of, an unknown one, or past
		 * {@value #MAX_REPORTED}.
		 * @param address the client address a request came from
		 * @return whether to report it
		 */
		public boolean firstUseFrom(@Nullable String address) {
			return address != null && this.reportedFrom.size() < MAX_REPORTED && this.reportedFrom.add(address);
		}

		public boolean active() {
			return this.principal != null;
		}

		/**
		 * Whether the answer holds for a request from {@code address}: inside the token's
		 * allowlist, if any.
		 */
		public boolean admits(@Nullable String address) {
			return this.allowedIps.isEmpty() || AddressRange.anyContains(this.allowedIps, address);
		}

		public @Nullable String username() {
			return (this.principal != null) ? this.principal.getName() : null;
		}

	}

	private final GenerationalCache<Answer> answers;

	private final Duration maxAge;

	private final Duration inactiveTtl;

	private final Clock clock;

	/**
	 * @param maxSize the most answers kept
	 * @param maxAge the longest an active answer is kept
	 * @param inactiveTtl how long an inactive answer is kept
	 * @param clock the clock answers expire by
	 */
	public IntrospectionCache(long maxSize, Duration maxAge, Duration inactiveTtl, Clock clock) {
		this.maxAge = maxAge;
		this.inactiveTtl = inactiveTtl;
		this.clock = clock;
		this.answers = new GenerationalCache<>(maxSize, clock);
	}

	/**
	 * The Caffeine cache itself, for its statistics (Micrometer's
	 * {@code CaffeineCacheMetrics}).
	 */
	public Cache<String, ?> caffeine() {
		return this.answers.caffeine();
	}

	/**
	 * The cached answer for this token presented from {@code address}, if there is one:
	 * an active answer is kept per token, an inactive one per token and address (the
	 * token may be inactive only because of where it was presented from).
	 * @param token the token as presented
	 * @param address the client address it was presented from, if known
	 * @return the answer, or {@code null}
	 */
	public @Nullable Answer get(String token, @Nullable String address) {
		String digest = digest(token);
		Answer active = this.answers.get(digest);
		return (active != null) ? active : this.answers.get(inactiveKey(digest, address));
	}

	/** Taken before asking the auth server, handed back to the put methods. */
	public long generation() {
		return this.answers.generation();
	}

	/**
	 * Keeps an active answer obtained after {@link #generation()} was {@code askedAt},
	 * unless a drop came since.
	 */
	public void putActive(String token, OAuth2AuthenticatedPrincipal principal, long askedAt) {
		putActive(token, principal, askedAt, null);
	}

	/**
	 * Keeps an active answer obtained after {@link #generation()} was {@code askedAt} for
	 * a request from {@code address}, unless a drop came since.
	 */
	public void putActive(String token, OAuth2AuthenticatedPrincipal principal, long askedAt,
			@Nullable String address) {
		Duration keepFor = this.maxAge;
		Object exp = principal.getAttribute("exp");
		if (exp instanceof Instant expiresAt) {
			Duration untilExpiry = Duration.between(this.clock.instant(), expiresAt);
			if (untilExpiry.compareTo(keepFor) < 0) {
				keepFor = untilExpiry;
			}
		}
		this.answers.put(digest(token), new Answer(principal, keepFor, allowedIps(principal), address), keepFor,
				askedAt);
	}

	/**
	 * Keeps an inactive answer for a token from an address briefly, unless a drop came
	 * since {@code askedAt}.
	 */
	public void putInactive(String token, @Nullable String address, long askedAt) {
		this.answers.put(inactiveKey(digest(token), address), new Answer(null, this.inactiveTtl, List.of(), address),
				this.inactiveTtl, askedAt);
	}

	static String inactiveKey(String digest, @Nullable String address) {
		return digest + " " + address;
	}

	/**
	 * The token's allowlist from the answer; a malformed one admits nobody rather than
	 * everybody.
	 */
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

	/**
	 * Drops the answer for one token, given the digest the auth server publishes (an
	 * inactive answer stays inactive: nothing to drop).
	 */
	@Override
	public void dropToken(String tokenDigest) {
		this.answers.drop(tokenDigest);
	}

	/** Drops every answer about these users' tokens. */
	@Override
	public void dropUsers(Set<String> usernameKeys) {
		this.answers.dropIf((answer) -> answer.username() != null
				&& usernameKeys.contains(EventDrivenCache.usernameKey(answer.username())));
	}

	@Override
	public void dropAll() {
		this.answers.dropAll();
	}

	public long size() {
		return this.answers.caffeine().estimatedSize();
	}

	static String digest(String token) {
		return TokenDigest.of(token);
	}

}
