package io.latchkey.authorization.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Which uses are news: an address outside the /24 or /48 networks of those the store
 * recorded before it, decided from the store's answer to the batch that wrote it.
 */
class LastUseRecorderTests {

	private final Instant now = Instant.parse("2026-12-07T02:00:00Z");

	private final TokenRepository tokens = mock(TokenRepository.class);

	private final List<Object> published = new ArrayList<>();

	private final LastUseRecorder recorder = new LastUseRecorder(this.tokens, Duration.ofMinutes(1),
			Duration.ofSeconds(1), Clock.fixed(this.now, ZoneOffset.UTC));

	private final PersonalAccessToken token = PersonalAccessToken.builder()
		.id("tok1")
		.digest("d1", "lkp_…abcd")
		.owner("alice", "uid-1")
		.created(this.now, "alice")
		.expiresAt(this.now.plus(Duration.ofDays(30)))
		.build();

	LastUseRecorderTests() {
		this.recorder.setEvents(this.published::add);
	}

	@Test
	void newAddressWhenNoAddressRecordedBeforeThenNewsMarkedFirst() {
		TokenUsedFromNewAddress news = news("198.51.100.7", List.of());
		assertThat(news.first()).isTrue();
		assertThat(news.network()).isEqualTo("198.51.100.0/24");
	}

	@Test
	void newAddressWhenInTheSlash24OfARecordedOneThenNotNews() {
		assertThat(news("203.0.113.99", List.of("198.51.100.7", "203.0.113.7"))).isNull();
		assertThat(news("::ffff:203.0.113.99", List.of("203.0.113.7"))).as("IPv4-mapped is IPv4").isNull();
		assertThat(news("203.0.114.7", List.of("203.0.113.7"))).isNotNull();
	}

	@Test
	void newAddressWhenInTheSlash48OfARecordedOneThenNotNews() {
		assertThat(news("2001:db8:1234:ffff::1", List.of("2001:db8:1234:0:0:0:0:9"))).isNull();
		TokenUsedFromNewAddress news = news("2001:db8:1235::1", List.of("2001:db8:1234:0:0:0:0:9"));
		assertThat(news.address()).isEqualTo("2001:db8:1235:0:0:0:0:1");
		assertThat(news.network()).isEqualTo("2001:db8:1235:0:0:0:0:0/48");
		assertThat(news.first()).isFalse();
	}

	@Test
	void flushWhenTheStoreFoundAnAddressUnseenThenAnnouncedAndKnownOnesNot() {
		LastUse fresh = new LastUse("d1", this.now, "203.0.113.7", "203.0.113.7");
		given(this.tokens.touchAll(any(), any())).willReturn(Map.of(fresh, List.of("198.51.100.7")));
		this.recorder.record(this.token, fresh);
		this.recorder.flush();
		assertThat(this.published).singleElement()
			.isEqualTo(new TokenUsedFromNewAddress(this.token, "203.0.113.7", "203.0.113.0/24", this.now, false));

		this.published.clear();
		LastUse neighbour = new LastUse("d1", this.now, "203.0.113.8", "203.0.113.8");
		given(this.tokens.touchAll(any(), any())).willReturn(Map.of(neighbour, List.of("203.0.113.7")));
		this.recorder.record(this.token, neighbour);
		this.recorder.flush();
		assertThat(this.published).as("its /24 was recorded").isEmpty();
	}

	private TokenUsedFromNewAddress news(String address, List<String> before) {
		return LastUseRecorder
			.newAddress(new LastUseRecorder.Noted(this.token, new LastUse("d1", this.now, address, address)), before);
	}

}
