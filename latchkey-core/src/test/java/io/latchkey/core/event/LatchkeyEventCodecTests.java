package io.latchkey.core.event;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The events' JSON form, as both sides read and write it. */
class LatchkeyEventCodecTests {

	private static final Instant AT = Instant.parse("2026-11-22T10:40:58Z");

	private final LatchkeyEventCodec codec = new LatchkeyEventCodec();

	@Test
	void encodeWhenTokenRevokedThenDigestAndIdButNoUsersToDrop() {
		LatchkeyEvent event = LatchkeyEvent.tokenRevoked("ci-bot", "nWhuCgi43kSatWBZ", "9f86d0", AT);
		assertThat(this.codec.encode(event)).isEqualTo("{\"type\":\"token.revoked\",\"username\":\"ci-bot\","
				+ "\"token_id\":\"nWhuCgi43kSatWBZ\",\"token_digest\":\"9f86d0\",\"at\":\"2026-11-22T10:40:58Z\"}");
		LatchkeyEvent decoded = this.codec.decode(this.codec.encode(event)).orElseThrow();
		assertThat(decoded).isEqualTo(event);
		assertThat(decoded.type().reach()).isEqualTo(EventType.Reach.TOKEN);
		assertThat(decoded.usernames()).as("a revoked token makes only itself stale").isEmpty();
	}

	@Test
	void encodeWhenUserEventThenUsernameAndItIsTheUserToDrop() {
		LatchkeyEvent event = LatchkeyEvent.user(EventType.USER_DISABLED, "alice", AT);
		assertThat(this.codec.encode(event))
			.isEqualTo("{\"type\":\"user.disabled\",\"username\":\"alice\",\"at\":\"2026-11-22T10:40:58Z\"}");
		assertThat(this.codec.decode(this.codec.encode(event)).orElseThrow().usernames()).containsExactly("alice");
	}

	@Test
	void encodeWhenGroupEventThenGroupAndMembers() {
		LatchkeyEvent event = LatchkeyEvent.group(EventType.GROUP_CHANGED, "integrations", List.of("a", "b"), AT);
		assertThat(this.codec.encode(event)).isEqualTo("{\"type\":\"group.changed\",\"group\":\"integrations\","
				+ "\"usernames\":[\"a\",\"b\"],\"at\":\"2026-11-22T10:40:58Z\"}");
		assertThat(this.codec.decode(this.codec.encode(event))).contains(event);
	}

	@Test
	void decodeWhenNotJsonOrUnknownTypeThenEmpty() {
		assertThat(this.codec.decode("not json")).isEmpty();
		assertThat(this.codec.decode("[1,2]")).isEmpty();
		assertThat(this.codec.decode("{\"type\":\"token.teleported\",\"username\":\"a\"}")).isEmpty();
	}

	@Test
	void everyTypeWhenEncodedThenDecodedTheSame() {
		for (EventType type : EventType.values()) {
			LatchkeyEvent event = (type.reach() == EventType.Reach.TOKEN)
					? new LatchkeyEvent(type, "u", "id", "digest", null, List.of(), AT)
					: LatchkeyEvent.user(type, "u", AT);
			assertThat(this.codec.decode(this.codec.encode(event))).as(type.wireName()).contains(event);
		}
	}

}
