package io.latchkey.core;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who the client is behind trusted proxies, and that nothing a client writes can choose
 * it.
 */
class TrustedProxiesTests {

	private final TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "2001:db8:ffff::/48"));

	@Test
	void clientAddressWhenNoProxyIsTrustedThenAlwaysThePeer() {
		assertThat(TrustedProxies.none().clientAddress("10.1.1.1", List.of("for=192.0.2.9"), List.of("192.0.2.9")))
			.isEqualTo("10.1.1.1");
	}

	@Test
	void clientAddressWhenThePeerIsUntrustedThenItsHeadersAreIgnored() {
		assertThat(this.proxies.clientAddress("192.0.2.1", List.of(), List.of("10.1.1.1"))).isEqualTo("192.0.2.1");
	}

	@Test
	void clientAddressWhenTrustedPeersForwardThenTheFirstUntrustedHopFromTheRight() {
		assertThat(this.proxies.clientAddress("10.0.0.1", List.of(), List.of("198.51.100.7, 192.0.2.9, 10.2.2.2")))
			.isEqualTo("192.0.2.9");
		assertThat(this.proxies.clientAddress("10.0.0.1", List.of(), List.of("192.0.2.9:5678"))).isEqualTo("192.0.2.9");
		assertThat(this.proxies.clientAddress("10.0.0.1", List.of(), List.of("10.3.3.3", "10.4.4.4")))
			.as("all trusted: the left-most")
			.isEqualTo("10.3.3.3");
	}

	@Test
	void clientAddressWhenForwardedThenItsForParametersQuotedPortsAndIpv6() {
		assertThat(this.proxies.clientAddress("10.0.0.1",
				List.of("for=192.0.2.60;proto=http;by=203.0.113.43, for=\"[2001:db8:cafe::17]:4711\""), List.of()))
			.isEqualTo("2001:db8:cafe:0:0:0:0:17");
		assertThat(this.proxies.clientAddress("10.0.0.1", List.of("For=\"_hidden\", for=10.5.5.5"), List.of()))
			.as("an obfuscated hop ends the walk at the trusted hop before it")
			.isEqualTo("10.5.5.5");
	}

	@Test
	void clientAddressWhenBothHeadersDisagreeThenThePeerItself() {
		assertThat(this.proxies.clientAddress("10.0.0.1", List.of("for=192.0.2.1"), List.of("192.0.2.2")))
			.isEqualTo("10.0.0.1");
		assertThat(this.proxies.clientAddress("10.0.0.1", List.of("for=192.0.2.1"), List.of("192.0.2.1")))
			.isEqualTo("192.0.2.1");
	}

	@Property(tries = 500)
	void clientAddressWhenAClientWritesAnyHopsThenTheProxyAppendedClientStillWins(@ForAll("hops") List<String> written,
			@ForAll @IntRange(min = 0, max = 3) int trustedHops, @ForAll @IntRange(min = 1, max = 254) int client) {
		String real = "192.0.2." + client;
		List<String> chain = new ArrayList<>(written);
		chain.add(real);
		for (int i = 0; i < trustedHops; i++) {
			chain.add("10.9.9." + (i + 1));
		}
		assertThat(this.proxies.clientAddress("10.0.0.1", List.of(), List.of(String.join(", ", chain))))
			.isEqualTo(real);
	}

	@Provide
	Arbitrary<List<String>> hops() {
		return Arbitraries
			.oneOf(Arbitraries.of("10.1.1.1", "198.51.100.1", "unknown", "::1", "[2001:db8:ffff::1]"),
					Arbitraries.strings().ofMaxLength(20).filter((value) -> !value.contains(",")))
			.list()
			.ofMaxSize(6);
	}

}
