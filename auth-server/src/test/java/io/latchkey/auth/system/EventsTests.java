package io.latchkey.auth.system;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.core.TokenDigest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;

/** What resource services hear on the events channel, and what the audit stream keeps. */
class EventsTests extends AuthServerTestBase {

	@Autowired
	private RedisConnectionFactory connections;

	@Autowired
	private StringRedisTemplate redis;

	private final JsonMapper json = JsonMapper.builder().build();

	private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

	private RedisMessageListenerContainer container;

	@BeforeEach
	void subscribe() {
		this.container = new RedisMessageListenerContainer();
		this.container.setConnectionFactory(this.connections);
		MessageListener listener = (message, pattern) -> this.events
			.add(this.json.readTree(new String(message.getBody(), StandardCharsets.UTF_8)));
		this.container.addMessageListener(listener, new ChannelTopic(KEY_PREFIX + ":events"));
		this.container.afterPropertiesSet();
		this.container.start();
	}

	@AfterEach
	void unsubscribe() {
		this.container.stop();
	}

	@Test
	void revokeWhenTokenThenEventCarriesDigestNeverToken() {
		String user = newUser();
		JsonNode created = generateToken(user, Map.of());
		String token = created.get("token").asString();
		asAdmin(Http.delete(url("/api/users/" + user + "/tokens/" + created.get("id").asString())));
		JsonNode event = next("token.revoked");
		assertThat(event.get("username").asString()).isEqualTo(user);
		assertThat(event.get("token_id").asString()).isEqualTo(created.get("id").asString());
		assertThat(event.get("token_digest").asString()).isEqualTo(TokenDigest.of(token));
		assertThat(event.toString()).doesNotContain(token);
	}

	@Test
	void revokeWhenTheAuditWriteFailsThenTheRevocationStandsAndItsEventIsStillPublished() {
		String user = newUser();
		JsonNode created = generateToken(user, Map.of());
		String token = created.get("token").asString();
		this.redis.rename(KEY_PREFIX + ":audit", KEY_PREFIX + ":audit-kept");
		this.redis.opsForValue().set(KEY_PREFIX + ":audit", "not a stream: every XADD fails");
		try {
			Http.Response response = asAdmin(
					Http.delete(url("/api/users/" + user + "/tokens/" + created.get("id").asString())));
			assertThat(response.status()).isEqualTo(204);
			assertThat(next("token.revoked").get("token_digest").asString()).isEqualTo(TokenDigest.of(token));
			assertThat(introspect(token).json().get("active").asBoolean()).isFalse();
			asAdmin(Http.patch(url("/api/users/" + user)).json(Map.of("enabled", false)));
			assertThat(next("user.disabled").get("username").asString()).isEqualTo(user);
		}
		finally {
			this.redis.delete(KEY_PREFIX + ":audit");
			this.redis.rename(KEY_PREFIX + ":audit-kept", KEY_PREFIX + ":audit");
		}
	}

	@Test
	void revokeAllDisableDeleteWhenDoneThenUserEvents() {
		String user = newUser();
		asAdmin(Http.delete(url("/api/users/" + user + "/tokens")));
		assertThat(next("user.tokens_revoked").get("username").asString()).isEqualTo(user);
		asAdmin(Http.patch(url("/api/users/" + user)).json(Map.of("enabled", false)));
		assertThat(next("user.disabled").get("username").asString()).isEqualTo(user);
		asAdmin(Http.delete(url("/api/users/" + user)));
		assertThat(next("user.deleted").get("username").asString()).isEqualTo(user);
	}

	@Test
	void groupRightsChangedThenEventNamesMembers() {
		String group = newGroup("projects.read");
		String user = newUser(group);
		asAdmin(Http.put(url("/api/groups/" + group)).json(Map.of("name", group, "rights", List.of())));
		JsonNode event = next("group.changed");
		assertThat(event.get("group").asString()).isEqualTo(group);
		assertThat(event.get("usernames").values()).extracting(JsonNode::asString).containsExactly(user);
	}

	@Test
	void auditWhenTokenLifecycleThenRecordedWithoutTokenValue() {
		String user = newUser();
		JsonNode created = generateToken(user, Map.of());
		asAdmin(Http.post(url("/api/tokens/revoke")).json(Map.of("token", created.get("token").asString())));
		List<Map<Object, Object>> audit = this.redis.opsForStream()
			.reverseRange(KEY_PREFIX + ":audit", org.springframework.data.domain.Range.unbounded())
			.stream()
			.limit(20)
			.map((record) -> record.getValue())
			.toList();
		assertThat(audit).anySatisfy((entry) -> {
			assertThat(entry).containsEntry("type", "token.revoked").containsEntry("owner", user);
			assertThat(entry).containsEntry("token_id", created.get("id").asString());
		});
		assertThat(audit).anySatisfy((entry) -> assertThat(entry).containsEntry("type", "token.created"));
		assertThat(audit.toString()).doesNotContain(created.get("token").asString());
	}

	private JsonNode next(String type) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		try {
			while (System.nanoTime() < deadline) {
				JsonNode event = this.events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
				if (event != null && type.equals(event.get("type").asString())) {
					return event;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		throw new AssertionError("No " + type + " event within 5 seconds");
	}

}
