package io.latchkey.authorization.signals;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events go only where the administrator allowed: a {@code *} stays within one host
 * label, port or path segment, and nothing else of a URL may vary.
 */
class PushUrlsTests {

	private final PushUrls urls = new PushUrls(
			List.of("https://*.internal.example.com/ssf/events", "http://127.0.0.1:*/ssf/events"));

	@Test
	void allowsWhenTheUrlMatchesAPatternThenYes() {
		assertThat(this.urls.allows(URI.create("https://billing.internal.example.com/ssf/events"))).isTrue();
		assertThat(this.urls.allows(URI.create("http://127.0.0.1:8080/ssf/events"))).isTrue();
	}

	@Test
	void allowsWhenTheWildcardWouldReachElsewhereThenNo() {
		for (String url : List.of("https://evil.com/x.internal.example.com/ssf/events",
				"https://evil.com?.internal.example.com/ssf/events",
				"https://evil.com#.internal.example.com/ssf/events",
				"https://user@evil.com.internal.example.com/ssf/events",
				"https://internal.example.com.evil.com/ssf/events", "http://127.0.0.1:8080/ssf/events/../../admin",
				"http://127.0.0.1:8080/ssf/events?to=elsewhere", "http://169.254.169.254/ssf/events",
				"https://billing.internal.example.com/ssf/eventsX",
				"HTTPS://billing.internal.example.com/ssf/events")) {
			assertThat(this.urls.allows(URI.create(url))).as(url).isFalse();
		}
	}

	@Test
	void allowsWhenAHostWildcardWouldSpanMoreThanOneLabelThenNo() {
		PushUrls urls = new PushUrls(List.of("https://10.0.0.*/ssf", "https://ssf.example.*/events"));
		assertThat(urls.allows(URI.create("https://10.0.0.5/ssf"))).isTrue();
		assertThat(urls.allows(URI.create("https://ssf.example.net/events"))).isTrue();
		for (String url : List.of("https://10.0.0.5.nip.io/ssf", "https://ssf.example.attacker.net/events",
				"https://10.0.0.5./ssf", "https://10.0.0.5_x/ssf")) {
			assertThat(urls.allows(URI.create(url))).as(url).isFalse();
		}
	}

	@Test
	void allowsWhenThePortDiffersFromThePatternsOrItsSchemesDefaultThenNo() {
		PushUrls urls = new PushUrls(List.of("https://10.0.0.*/ssf", "http://rx.example.com:8080/ssf"));
		assertThat(urls.allows(URI.create("https://10.0.0.5:443/ssf"))).isTrue();
		assertThat(urls.allows(URI.create("http://rx.example.com:8080/ssf"))).isTrue();
		for (String url : List.of("https://10.0.0.5:6379/ssf", "https://10.0.0.5:8443/ssf", "http://rx.example.com/ssf",
				"http://rx.example.com:80/ssf")) {
			assertThat(urls.allows(URI.create(url))).as(url).isFalse();
		}
	}

	@Test
	void allowsWhenAPathWildcardMeetsEncodedSlashesOrDotSegmentsThenNo() {
		PushUrls urls = new PushUrls(List.of("https://rx.example.com/ssf/*"));
		assertThat(urls.allows(URI.create("https://rx.example.com/ssf/events"))).isTrue();
		for (String url : List.of("https://rx.example.com/ssf/..%2F..%2Fadmin", "https://rx.example.com/ssf/..",
				"https://rx.example.com/ssf/.", "https://rx.example.com/ssf/%2E%2E", "https://rx.example.com/ssf/a%5Cb",
				"https://rx.example.com/ssf/a%2fb", "https://rx.example.com/ssf/a/b", "https://rx.example.com/ssf/",
				"https://rx.example.com/ssf/events?x=1", "https://user@rx.example.com/ssf/events",
				"https://rx.example.com/ssf/..;", "https://rx.example.com/ssf/..;x",
				"https://rx.example.com/ssf/a%3Bb")) {
			assertThat(urls.allows(URI.create(url))).as(url).isFalse();
		}
	}

	@Test
	void allowsWhenAHostWildcardMeetsANumberReadAsAnAddressThenNo() {
		PushUrls urls = new PushUrls(List.of("http://*:8080/ssf/events", "https://10.0.0.*/ssf"));
		assertThat(urls.allows(URI.create("http://receiver:8080/ssf/events"))).isTrue();
		assertThat(urls.allows(URI.create("https://10.0.0.5/ssf"))).isTrue();
		for (String url : List.of("http://2130706433:8080/ssf/events", "http://0x7f000001:8080/ssf/events")) {
			assertThat(urls.allows(URI.create(url))).as(url).isFalse();
		}
	}

	@Test
	void constructorWhenAPatternIsNotAUrlThenRefused() {
		for (String pattern : List.of("rx.example.com/ssf", "https://user@rx.example.com/ssf",
				"https://rx.example.com/ssf#x")) {
			org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
				.as(pattern)
				.isThrownBy(() -> new PushUrls(List.of(pattern)));
		}
	}

	@Test
	void allowsWhenNoPatternIsConfiguredThenNothing() {
		assertThat(new PushUrls(List.of()).allows(URI.create("https://receiver.example.com/ssf/events"))).isFalse();
	}

}
