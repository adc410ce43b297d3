package io.latchkey.resource.introspection;

import java.nio.charset.StandardCharsets;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;

/**
 * Applies the auth server's revocation events to the cache: a revoked token's answer by its
 * digest (only that one: the event's {@code username} just says whose it was), and every answer
 * of each user that a user or group event names. Whenever the subscription is
 * (re)established the whole cache goes, since events may have been missed meanwhile.
 */
class RevocationListener implements MessageListener, SubscriptionListener {

	private static final Log logger = LogFactory.getLog(RevocationListener.class);

	private final IntrospectionCache cache;

	private final JsonMapper json;

	RevocationListener(IntrospectionCache cache, JsonMapper json) {
		this.cache = cache;
		this.json = json;
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		JsonNode event;
		try {
			event = this.json.readTree(new String(message.getBody(), StandardCharsets.UTF_8));
		}
		catch (JacksonException ex) {
			logger.warn("Ignored an event that is not JSON on the revocation channel");
			return;
		}
		if (event.hasNonNull("token_digest")) {
			this.cache.dropDigest(event.get("token_digest").asString());
		}
		else if (event.hasNonNull("username")) {
			this.cache.dropUser(event.get("username").asString());
		}
		if (event.has("usernames")) {
			event.get("usernames").values().forEach((username) -> this.cache.dropUser(username.asString()));
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Applied revocation event " + event.path("type").asString("(untyped)"));
		}
	}

	@Override
	public void onChannelSubscribed(byte[] channel, long count) {
		this.cache.dropAll();
		logger.info("Subscribed to revocation events on " + new String(channel, StandardCharsets.UTF_8)
				+ "; introspection cache cleared");
	}

	@Override
	public void onChannelUnsubscribed(byte[] channel, long count) {
		logger.warn("Unsubscribed from revocation events; cached answers are bounded by the maximum age");
	}

}
