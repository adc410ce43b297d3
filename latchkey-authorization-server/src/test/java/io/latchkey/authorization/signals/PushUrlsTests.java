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
	void allowsWhenNoPatternIsConfiguredThenNothing() {
		assertThat(new PushUrls(List.of()).allows(URI.create("https://receiver.example.com/ssf/events"))).isFalse();
	}

}
