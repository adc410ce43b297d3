package io.latchkey.auth.system;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.latchkey.auth.LatchkeyProperties;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes what resource services must forget on the Redis events channel, as one JSON object
 * per message (format in the README). Published after Redis acknowledged the change itself.
 * Carries token digests and ids, never token values.
 */
@Component
public class EventPublisher {

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	private final String channel;

	private final Clock clock;

	public EventPublisher(StringRedisTemplate redis, JsonMapper json, LatchkeyProperties properties, Clock clock) {
		this.redis = redis;
		this.json = json;
		this.channel = properties.redis().eventsChannel();
		this.clock = clock;
	}

	public void tokenRevoked(String username, String tokenId, String tokenDigest) {
		publish("token.revoked", Map.of("username", username, "token_id", tokenId, "token_digest", tokenDigest));
	}

	public void userTokensRevoked(String username) {
		publish("user.tokens_revoked", Map.of("username", username));
	}

	/** A user was disabled, deleted, or had its groups changed. */
	public void userChanged(String type, String username) {
		publish(type, Map.of("username", username));
	}

	public void groupChanged(String type, String group, List<String> usernames) {
		publish(type, Map.of("group", group, "usernames", usernames));
	}

	private void publish(String type, Map<String, Object> fields) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("type", type);
		event.putAll(fields);
		event.put("at", this.clock.instant().toString());
		this.redis.convertAndSend(this.channel, this.json.writeValueAsString(event));
	}

}
