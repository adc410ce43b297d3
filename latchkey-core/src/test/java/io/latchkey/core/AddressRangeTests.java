package io.latchkey.core;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * CIDR ranges of a token's allowlist: IPv4 and IPv6, literals only, never a name lookup.
 */
class AddressRangeTests {

	@Test
	void containsWhenIpv4RangeThenOnlyItsAddresses() {
		AddressRange range = AddressRange.parse("10.0.0.0/8");
		assertThat(range.contains("10.255.3.4")).isTrue();
		assertThat(range.contains("11.0.0.1")).isFalse();
		assertThat(range.contains("::ffff:10.1.1.1")).as("IPv4-mapped IPv6 is the IPv4 address").isTrue();
		assertThat(range.contains("2001:db8::1")).as("never across families").isFalse();
	}

	@Test
	void containsWhenIpv6RangeThenOnlyItsAddresses() {
		AddressRange range = AddressRange.parse("2001:db8::/32");
		assertThat(range.contains("2001:db8:ffff::1")).isTrue();
		assertThat(range.contains("[2001:db8::2]")).isTrue();
		assertThat(range.contains("2001:db9::1")).isFalse();
		assertThat(range.contains("10.0.0.1")).isFalse();
	}

	@Test
	void networkWhenIpv4ThenItsSlash24HoldsNeighboursOnly() {
		AddressRange network = AddressRange.network("203.0.113.7");
		assertThat(network).hasToString("203.0.113.0/24");
		assertThat(network.contains("203.0.113.250")).isTrue();
		assertThat(network.contains("203.0.114.7")).as("the next /24 is somewhere else").isFalse();
		assertThat(network.contains("2001:db8::1")).isFalse();
	}

	@Test
	void networkWhenIpv6ThenItsSlash48HoldsNeighboursOnly() {
		AddressRange network = AddressRange.network("2001:db8:1234:5678::9");
		assertThat(network).hasToString("2001:db8:1234:0:0:0:0:0/48");
		assertThat(network.contains("2001:db8:1234:ffff::1")).isTrue();
		assertThat(network.contains("[2001:DB8:1234::2]")).isTrue();
		assertThat(network.contains("2001:db8:1235::1")).as("the next /48 is somewhere else").isFalse();
		assertThat(network.contains("203.0.113.7")).isFalse();
	}

	@Test
	void networkWhenIpv4MappedThenTheIpv4Slash24() {
		assertThat(AddressRange.network("::ffff:203.0.113.7")).hasToString("203.0.113.0/24");
		assertThat(AddressRange.network("203.0.113.7").contains("::ffff:203.0.113.99")).isTrue();
		assertThat(AddressRange.network("::ffff:203.0.113.7").contains("203.0.114.1")).isFalse();
	}

	@Test
	void networkWhenNotAnAddressLiteralThenNone() {
		assertThat(AddressRange.network(null)).isNull();
		assertThat(AddressRange.network("localhost")).isNull();
		assertThat(AddressRange.network("resource-api@127.0.0.1")).isNull();
	}

	@Test
	void parseWhenHostBitsSetThenCanonicalNetwork() {
		assertThat(AddressRange.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
		assertThat(AddressRange.parse("127.0.0.1")).hasToString("127.0.0.1/32");
		assertThat(AddressRange.parse("2001:DB8::1/32")).hasToString("2001:db8:0:0:0:0:0:0/32");
		assertThat(AddressRange.parse("0.0.0.0/0").contains("203.0.113.9")).isTrue();
	}

	@Test
	void parseWhenNotAnAddressLiteralThenRefusedWithoutLookup() {
		for (String bad : List.of("localhost", "example.com/8", "10.0.0.0/33", "10.0.0/8", "256.1.1.1", "::/129",
				"10.0.0.0/-1", "10.0.0.0/", "", "1.2.3.4/8/8", "fe80::1%eth0")) {
			assertThatIllegalArgumentException().as(bad).isThrownBy(() -> AddressRange.parse(bad));
		}
	}

	@Test
	void containsWhenLoopbackOfTheOtherFamilyThenInsideSinceItIsThisHost() {
		assertThat(AddressRange.parse("127.0.0.0/8").contains("::1")).isTrue();
		assertThat(AddressRange.parse("::1").contains("127.0.0.1")).isTrue();
		assertThat(AddressRange.parse("127.0.0.0/8").contains("::2")).isFalse();
		assertThat(AddressRange.parse("10.0.0.0/8").contains("::1")).isFalse();
		assertThat(AddressRange.parse("2001:db8::/32").contains("127.0.0.1")).isFalse();
	}

	@Test
	void canonicalWhenReportedAddressThenNormalisedOrNull() {
		assertThat(AddressRange.canonical("::ffff:10.0.0.1")).isEqualTo("10.0.0.1");
		assertThat(AddressRange.canonical(" 2001:DB8::1 ")).isEqualTo("2001:db8:0:0:0:0:0:1");
		assertThat(AddressRange.canonical("127.0.0.1")).isEqualTo("127.0.0.1");
		for (String bad : new String[] { "1.1.1.1 x", ".:1", "localhost", "", "10.0.0.1/8", "1.2.3.4\n" + "x" }) {
			assertThat(AddressRange.canonical(bad)).as(bad).isNull();
		}
	}

	@Test
	void anyContainsWhenAddressIsNotALiteralThenFalse() {
		List<AddressRange> everywhere = List.of(AddressRange.parse("0.0.0.0/0"), AddressRange.parse("::/0"));
		assertThat(AddressRange.anyContains(everywhere, null)).isFalse();
		assertThat(AddressRange.anyContains(everywhere, "localhost")).isFalse();
		assertThat(AddressRange.anyContains(everywhere, "127.0.0.1")).isTrue();
	}

	@Property
	void containsWhenPrefixMatchesThenInsideOtherwiseOutside(@ForAll @IntRange(min = 0, max = 255) int a,
			@ForAll @IntRange(min = 0, max = 255) int b, @ForAll @IntRange(min = 0, max = 32) int bits) {
		long network = ((long) a << 24) | ((long) b << 16);
		AddressRange range = AddressRange.parse(dotted(network) + "/" + bits);
		long mask = (bits == 0) ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
		for (long candidate : new long[] { network, network ^ 1, network ^ 0x80000000L, network ^ 0x00010000L }) {
			assertThat(range.contains(dotted(candidate))).as(dotted(candidate) + " in " + range)
				.isEqualTo((candidate & mask) == (network & mask));
		}
	}

	private static String dotted(long address) {
		return ((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255) + "."
				+ (address & 255);
	}

}
