package io.latchkey.resource.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.latchkey.core.TokenDigest;
import io.latchkey.core.event.LatchkeyEventCodec;
import io.latchkey.resource.introspection.IntrospectionCache;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.DefaultMessage;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;

import static org.assertj.core.api.Assertions.assertThat;

/** Each documented event type drops what it should, and nothing else. */
class RevocationListenerTests {

	private final IntrospectionCache cache = new IntrospectionCache(100, Duration.ofMinutes(1), Duration.ofSeconds(10),
			Clock.systemUTC());

	private final RevocationListener listener = new RevocationListener(this.cache, new LatchkeyEventCodec());

	@Test
	void tokenRevokedWhenPublishedThenOnlyThatTokenDroppedNotTheOwnersOthers() {
		cache("t1", "alice");
		cache("t2", "alice");
		publish("{\"type\":\"token.revoked\",\"username\":\"alice\",\"token_id\":\"id1\",\"token_digest\":\""
				+ TokenDigest.of("t1") + "\"}");
		assertThat(this.cache.get("t1", null)).isNull();
		assertThat(this.cache.get("t2", null)).isNotNull();
	}

	@Test
	void userEventsWhenPublishedThenEveryAnswerOfThatUserDropped() {
		for (String type : List.of("user.tokens_revoked", "user.disabled", "user.deleted", "user.changed")) {
			cache("a", "alice");
			cache("b", "bob");
			publish("{\"type\":\"" + type + "\",\"username\":\"alice\"}");
			assertThat(this.cache.get("a", null)).as(type).isNull();
			assertThat(this.cache.get("b", null)).as(type).isNotNull();
		}
	}

	@Test
	void groupChangedWhenPublishedThenEveryMemberDropped() {
		cache("a", "alice");
		cache("b", "bob");
		cache("c", "carol");
		publish("{\"type\":\"group.changed\",\"group\":\"g\",\"usernames\":[\"alice\",\"bob\"]}");
		assertThat(this.cache.get("a", null)).isNull();
		assertThat(this.cache.get("b", null)).isNull();
		assertThat(this.cache.get("c", null)).isNotNull();
	}

	@Test
	void subscribedWhenReconnectedThenWholeCacheDropped() {
		cache("a", "alice");
		this.listener.onChannelSubscribed("latchkey:events".getBytes(StandardCharsets.UTF_8), 1);
		assertThat(this.cache.size()).isZero();
	}

	@Test
	void messageWhenUnreadableOrOfAnUnknownTypeThenEverythingDroppedToBeSafe() {
		for (String message : List.of("not json", "{\"type\":\"token.teleported\",\"username\":\"bob\"}")) {
			cache("a", "alice");
			publish(message);
			assertThat(this.cache.size()).as(message).isZero();
		}
	}

	private void cache(String token, String username) {
		this.cache.putActive(token,
				new OAuth2IntrospectionAuthenticatedPrincipal(username, Map.of("sub", username), List.of()),
				this.cache.generation());
	}

	private void publish(String json) {
		this.listener.onMessage(new DefaultMessage("latchkey:events".getBytes(StandardCharsets.UTF_8),
				json.getBytes(StandardCharsets.UTF_8)), null);
	}

}
