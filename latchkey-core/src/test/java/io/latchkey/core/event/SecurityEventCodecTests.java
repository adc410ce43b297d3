package io.latchkey.core.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.latchkey.core.cache.EventDrivenCache;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a receiver reads from the SETs an event becomes, it drops exactly what the
 * events channel's message of that event drops; a verification drops nothing, and a
 * stream that lost events or a SET it cannot read drops everything.
 */
class SecurityEventCodecTests {

	private static final String ISSUER = "https://auth.example.com";

	private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

	private final SecurityEventCodec codec = new SecurityEventCodec();

	@Test
	void decodeWhenEveryEventTypeIsEncodedThenTheReceiverDropsWhatTheChannelWould() {
		for (EventType type : EventType.values()) {
			LatchkeyEvent event = switch (type.reach()) {
				case TOKEN -> new LatchkeyEvent(type, "alice", "id", "ab".repeat(32), null, List.of(), AT);
				case USERS -> (type == EventType.GROUP_CHANGED || type == EventType.GROUP_DELETED)
						? LatchkeyEvent.group(type, "ops", List.of("Bob", "carol"), AT)
						: LatchkeyEvent.user(type, "Alice", AT);
			};
			Recording channel = new Recording();
			channel.apply(event);
			Recording receiver = new Recording();
			List<SecurityEventCodec.SecurityEvent> sets = this.codec.encode(event, ISSUER);
			assertThat(sets).as(type.wireName()).isNotEmpty();
			for (SecurityEventCodec.SecurityEvent set : sets) {
				assertThat(set.type()).isEqualTo(SecurityEventCodec.typeOf(type));
				assertThat(set.members()).containsEntry("event_timestamp", AT.getEpochSecond());
				receiver.apply(this.codec, claims(set));
			}
			assertThat(receiver.drops).as(type.wireName()).isEqualTo(channel.drops);
		}
	}

	@Test
	void encodeWhenATokenIsRevokedThenItsDigestIsTheSubjectAndNoUserIsNamed() {
		SecurityEventCodec.SecurityEvent set = this.codec
			.encode(LatchkeyEvent.tokenRevoked("alice", "id", "ab".repeat(32), AT), ISSUER)
			.get(0);
		assertThat(set.subject()).isEqualTo(Map.of("format", "opaque", "id", "ab".repeat(32)));
		assertThat(set.members()).containsEntry("change_type", "revoke")
			.containsEntry("credential_type", "personal-access-token")
			.doesNotContainKeys("username", "token_id");
	}

	@Test
	void decodeWhenVerificationThenNothingAndWhenStreamUpdatedOrUnreadableThenEverything() {
		Recording cache = new Recording();
		cache.apply(this.codec, Map.of("sub_id", Map.of("format", "opaque", "id", "stream"), "events",
				Map.of(SecurityEventCodec.VERIFICATION, Map.of("state", "x"))));
		assertThat(cache.drops).isEmpty();
		for (Map<String, Object> claims : List
			.<Map<String, Object>>of(
					Map.of("sub_id", Map.of("format", "opaque", "id", "stream"), "events",
							Map.of(SecurityEventCodec.STREAM_UPDATED, Map.of("status", "enabled"))),
					Map.of("events", Map.of("https://example.com/unknown", Map.of())),
					Map.of("sub_id", Map.of("format", "email", "email", "a@example.com"), "events",
							Map.of(SecurityEventCodec.SESSION_REVOKED, Map.of())),
					Map.of("events", Map.of()), Map.of())) {
			Recording everything = new Recording();
			everything.apply(this.codec, claims);
			assertThat(everything.drops).as(claims.toString()).containsExactly("*");
		}
	}

	private static Map<String, Object> claims(SecurityEventCodec.SecurityEvent set) {
		return Map.of("iss", ISSUER, "sub_id", set.subject(), "events", Map.of(set.type(), set.members()));
	}

	/** A cache that notes what it was told to drop. */
	static final class Recording implements EventDrivenCache {

		final List<String> drops = new ArrayList<>();

		@Override
		public void dropToken(String tokenDigest) {
			this.drops.add("token:" + tokenDigest);
		}

		@Override
		public void dropUsers(Set<String> usernameKeys) {
			new HashSet<>(usernameKeys).stream().sorted().forEach((user) -> this.drops.add("user:" + user));
		}

		@Override
		public void dropAll() {
			this.drops.add("*");
		}

	}

}
