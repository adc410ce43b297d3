package io.latchkey.authorization.throttle;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.latchkey.core.AddressRange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.util.Assert;

/**
 * Requests of one kind allowed per client address and window, right or wrong (for doors
 * anyone may knock at without signing in, such as the public leak report): a Bucket4j
 * bucket per address (per /64 for IPv6, which one client may fill) in Redis, shared by
 * every instance, holding {@code requests} and refilling over {@code window}. Past it,
 * requests are refused with the time until the next one may pass.
 *
 * @since 0.1
 */
public final class AddressRate {

	private final Supplier<ProxyManager<String>> buckets;

	private final String keyPrefix;

	private final String kind;

	private final Supplier<BucketConfiguration> configuration;

	private Counter refused;

	/**
	 * @param buckets Bucket4j's buckets (in Redis)
	 * @param keyPrefix the prefix of the buckets' keys
	 * @param kind what is counted ({@code report}), in the keys and the metric
	 * @param requests requests allowed per address and window
	 * @param window the window over which the allowance refills
	 */
	public AddressRate(Supplier<ProxyManager<String>> buckets, String keyPrefix, String kind, int requests,
			Duration window) {
		Assert.notNull(buckets, "buckets cannot be null");
		Assert.hasText(kind, "kind cannot be empty");
		Assert.isTrue(requests > 0, "requests must be positive");
		Assert.isTrue(window != null && window.isPositive(), "window must be positive");
		this.buckets = buckets;
		this.keyPrefix = keyPrefix;
		this.kind = kind;
		this.configuration = () -> BucketConfiguration.builder()
			.addLimit((limit) -> limit.capacity(requests).refillGreedy(requests, window))
			.build();
		setMeterRegistry(new CompositeMeterRegistry());
	}

	/**
	 * Counts refused requests in {@code meters} as {@code latchkey.throttled}, tagged
	 * {@code kind=<kind>-at}.
	 * @param meters where the counts go
	 */
	public void setMeterRegistry(MeterRegistry meters) {
		Assert.notNull(meters, "meters cannot be null");
		this.refused = Counter.builder("latchkey.throttled")
			.description("Attempts refused because a throttle bucket had no failures left, by bucket kind")
			.tag("kind", this.kind + "-at")
			.register(meters);
	}

	/**
	 * Takes one request from the address's allowance, or refuses.
	 * @param address the client's address, counted with its network (an IPv6 address's
	 * /64, see {@link AddressRange#client}); {@code null} (no HTTP request) counts as its
	 * own address
	 * @throws ThrottledException if the address has none left
	 */
	public void take(@Nullable String address) {
		AddressRange client = AddressRange.client(address);
		String key = this.keyPrefix + this.kind + "-at:"
				+ ((client != null) ? client.toString() : (address != null) ? address : "none");
		ConsumptionProbe probe;
		try {
			probe = this.buckets.get().getProxy(key, this.configuration).tryConsumeAndReturnRemaining(1);
		}
		catch (RuntimeException ex) {
			throw new DataAccessResourceFailureException("The throttling store is unavailable", ex);
		}
		if (!probe.isConsumed()) {
			this.refused.increment();
			throw new ThrottledException(Duration.ofNanos(probe.getNanosToWaitForRefill()));
		}
	}

}
