package io.latchkey.core.event;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON form of {@link LatchkeyEvent}, one object per message:
 * {@code {"type":"token.revoked","username":"ci-bot","token_id":"…","token_digest":"…","at":"…"}};
 * user events carry {@code username}, group events {@code group} and {@code usernames}.
 * The field names are defined here only.
 */
public final class LatchkeyEventCodec {

	public static final String TYPE = "type";

	public static final String USERNAME = "username";

	public static final String TOKEN_ID = "token_id";

	public static final String TOKEN_DIGEST = "token_digest";

	public static final String GROUP = "group";

	public static final String USERNAMES = "usernames";

	public static final String AT = "at";

	private final JsonMapper json;

	public LatchkeyEventCodec() {
		this(JsonMapper.builder().build());
	}

	public LatchkeyEventCodec(JsonMapper json) {
		this.json = json;
	}

	public String encode(LatchkeyEvent event) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put(TYPE, event.type().wireName());
		switch (event.type().reach()) {
			case TOKEN -> {
				putIfPresent(fields, USERNAME, event.username());
				putIfPresent(fields, TOKEN_ID, event.tokenId());
				putIfPresent(fields, TOKEN_DIGEST, event.tokenDigest());
			}
			case USERS -> {
				if (event.group() != null) {
					fields.put(GROUP, event.group());
					fields.put(USERNAMES, event.usernames());
				}
				else {
					putIfPresent(fields, USERNAME, event.username());
				}
			}
		}
		fields.put(AT, event.at().toString());
		return this.json.writeValueAsString(fields);
	}

	/**
	 * The event in a message, or empty if the message is not JSON or its type is unknown
	 * (a listener should then assume the worst and drop everything).
	 */
	public Optional<LatchkeyEvent> decode(String message) {
		JsonNode node;
		try {
			node = this.json.readTree(message);
		}
		catch (JacksonException ex) {
			return Optional.empty();
		}
		if (node == null || !node.isObject()) {
			return Optional.empty();
		}
		Optional<EventType> type = EventType.fromWireName(text(node, TYPE));
		if (type.isEmpty()) {
			return Optional.empty();
		}
		String username = text(node, USERNAME);
		List<String> usernames = new ArrayList<>();
		if (node.has(USERNAMES)) {
			node.get(USERNAMES).values().forEach((name) -> usernames.add(name.asString()));
		}
		else if (username != null && type.get().reach() == EventType.Reach.USERS) {
			usernames.add(username);
		}
		Instant at;
		try {
			at = (text(node, AT) != null) ? Instant.parse(text(node, AT)) : Instant.EPOCH;
		}
		catch (DateTimeParseException ex) {
			at = Instant.EPOCH;
		}
		return Optional.of(new LatchkeyEvent(type.get(), username, text(node, TOKEN_ID), text(node, TOKEN_DIGEST),
				text(node, GROUP), usernames, at));
	}

	private static @Nullable String text(JsonNode node, String field) {
		return node.hasNonNull(field) ? node.get(field).asString() : null;
	}

	private static void putIfPresent(Map<String, Object> fields, String name, @Nullable String value) {
		if (value != null) {
			fields.put(name, value);
		}
	}

}
