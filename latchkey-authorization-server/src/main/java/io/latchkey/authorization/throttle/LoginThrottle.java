package io.latchkey.authorization.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.util.Assert;

/**
 * Slows down password and client-secret guessing (OWASP ASVS 6.3) without locking out the
 * innocent: failed attempts are counted per username and address, per username (at a much
 * higher limit), per client and address, and per address, in Bucket4j buckets kept in
 * Redis, so every auth-server instance shares the counts (see {@link ThrottlePolicy}).
 * Each bucket holds the failures a window allows and refills over the window; while a
 * bucket is empty every attempt through it, right or wrong, is refused before any
 * password hashing, with the time until it may succeed. Nobody is locked out for good:
 * the buckets refill.
 */
public final class LoginThrottle {

	private final Supplier<ProxyManager<String>> buckets;

	private final ThrottlePolicy settings;

	private final String keyPrefix;

	private MeterRegistry meters = new CompositeMeterRegistry();

	public LoginThrottle(Supplier<ProxyManager<String>> buckets, ThrottlePolicy settings, String keyPrefix) {
		Assert.notNull(buckets, "buckets cannot be null");
		Assert.notNull(settings, "settings cannot be null");
		this.buckets = buckets;
		this.settings = settings;
		this.keyPrefix = keyPrefix;
	}

	/**
	 * Counts refused attempts in {@code meters} as {@code latchkey.throttled}, by the
	 * {@code kind} of bucket that had no failures left: {@code user}, {@code user-at} (a
	 * username at one address), {@code client-at} (a client at one address), {@code addr}
	 * (an address).
	 * @param meters where the counts go
	 */
	public void setMeterRegistry(MeterRegistry meters) {
		Assert.notNull(meters, "meters cannot be null");
		this.meters = meters;
	}

	/** The bucket of a username (regardless of case), across all addresses. */
	public static Key username(String username) {
		return new Key("user", username.toLowerCase(Locale.ROOT));
	}

	/** The bucket of a username (regardless of case) at one client address. */
	public static Key username(String username, @Nullable String address) {
		return new Key("user-at", username.toLowerCase(Locale.ROOT) + "@" + orNone(address));
	}

	/** The bucket of a registered OAuth client at one client address. */
	public static Key client(String clientId, @Nullable String address) {
		return new Key("client-at", clientId + "@" + orNone(address));
	}

	/**
	 * The buckets a password check counts in: the username at the address, the username,
	 * the address.
	 */
	public static Key[] password(String username, @Nullable String address) {
		return new Key[] { username(username, address), username(username), address(address) };
	}

	/**
	 * The buckets a client-secret check counts in: the client at the address, the
	 * address.
	 */
	public static Key[] clientSecret(String clientId, @Nullable String address) {
		return new Key[] { client(clientId, address), address(address) };
	}

	private static String orNone(@Nullable String address) {
		return (address != null) ? address : "none";
	}

	/**
	 * The bucket of a client address; {@code null} (no HTTP request) counts as its own
	 * address.
	 */
	public static Key address(@Nullable String address) {
		return new Key("addr", orNone(address));
	}

	/**
	 * Refuses with {@link ThrottledException} if any of the buckets has no failures left.
	 */
	public void check(Key... keys) {
		if (!this.settings.enabled()) {
			return;
		}
		long waitNanos = 0;
		for (Key key : keys) {
			EstimationProbe probe = remote(() -> bucket(key).estimateAbilityToConsume(1));
			if (!probe.canBeConsumed()) {
				waitNanos = Math.max(waitNanos, probe.getNanosToWaitForRefill());
				Counter.builder("latchkey.throttled")
					.description("Attempts refused because a throttle bucket had no failures left, by bucket kind")
					.tag("kind", key.kind())
					.register(this.meters)
					.increment();
			}
		}
		if (waitNanos > 0) {
			throw new ThrottledException(Duration.ofNanos(waitNanos));
		}
	}

	/** Counts one failure in each of the buckets. */
	public void failed(Key... keys) {
		if (!this.settings.enabled()) {
			return;
		}
		for (Key key : keys) {
			remote(() -> bucket(key).tryConsume(1));
		}
	}

	private io.github.bucket4j.Bucket bucket(Key key) {
		return this.buckets.get().getProxy(this.keyPrefix + key.kind() + ":" + key.value(), configuration(key.kind()));
	}

	private Supplier<BucketConfiguration> configuration(String kind) {
		int failures = switch (kind) {
			case "user-at" -> this.settings.failuresPerUsernameAndAddress();
			case "user" -> this.settings.failuresPerUsername();
			case "client-at" -> this.settings.failuresPerClientAndAddress();
			default -> this.settings.failuresPerAddress();
		};
		Duration window = this.settings.window();
		return () -> BucketConfiguration.builder()
			.addLimit((limit) -> limit.capacity(failures).refillGreedy(failures, window))
			.build();
	}

	/**
	 * Redis failures surface as Spring's storage failure, which the web layer answers
	 * with 503.
	 */
	private static <T> T remote(Supplier<T> call) {
		try {
			return call.get();
		}
		catch (RuntimeException ex) {
			throw new DataAccessResourceFailureException("The throttling store is unavailable", ex);
		}
	}

	/**
	 * Bucket4j's clock, read from the application's {@link Clock} so that tests can move
	 * time.
	 */
	public static io.github.bucket4j.TimeMeter timeMeter(Clock clock) {
		return new io.github.bucket4j.TimeMeter() {
			@Override
			public long currentTimeNanos() {
				Instant now = clock.instant();
				return now.getEpochSecond() * 1_000_000_000L + now.getNano();
			}

			@Override
			public boolean isWallClockBased() {
				return true;
			}
		};
	}

	/** One bucket: what it counts (a username, an address, a client) and for whom. */
	public record Key(String kind, String value) {
	}

}
