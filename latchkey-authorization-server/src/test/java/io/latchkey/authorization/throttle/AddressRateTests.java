package io.latchkey.authorization.throttle;

import java.time.Duration;
import java.util.UUID;

import io.latchkey.authorization.redis.RealRedisBuckets;
import io.latchkey.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An address's allowance counts one client: an IPv4 address on its own, but every address
 * of an IPv6 /64, which one subscriber holds and may rotate through at will.
 */
class AddressRateTests {

	@RegisterExtension
	static final RealRedisBuckets redis = new RealRedisBuckets();

	private final MutableClock clock = MutableClock.startingNow();

	private final String prefix = "address-rate-test-" + UUID.randomUUID() + ":";

	@Test
	void takeWhenAnIPv6ClientChangesAddressWithinItsSlash64ThenStillThrottled() {
		AddressRate rate = rate();
		rate.take("2001:db8:1:2::1");
		rate.take("2001:db8:1:2:ffff:ffff:ffff:fffe");
		assertThatExceptionOfType(ThrottledException.class).isThrownBy(() -> rate.take("2001:db8:1:2:abcd::7"));
		assertThatExceptionOfType(ThrottledException.class).as("written another way")
			.isThrownBy(() -> rate.take("2001:0db8:0001:0002:0000:0000:0000:0009"));
		assertThatNoException().as("the next /64").isThrownBy(() -> rate.take("2001:db8:1:3::1"));
	}

	@Test
	void takeWhenIPv4NeighboursThenEachAddressHasItsOwnAllowance() {
		AddressRate rate = rate();
		rate.take("203.0.113.7");
		rate.take("203.0.113.7");
		assertThatExceptionOfType(ThrottledException.class).isThrownBy(() -> rate.take("203.0.113.7"));
		assertThatExceptionOfType(ThrottledException.class).as("IPv4-mapped, the same address")
			.isThrownBy(() -> rate.take("::ffff:203.0.113.7"));
		assertThatNoException().isThrownBy(() -> rate.take("203.0.113.8"));
		assertThatNoException().as("not an address: counted as written").isThrownBy(() -> rate.take(null));
	}

	private AddressRate rate() {
		return new AddressRate(redis.started(this.clock)::proxyManager, this.prefix, "report", 2,
				Duration.ofMinutes(1));
	}

}
