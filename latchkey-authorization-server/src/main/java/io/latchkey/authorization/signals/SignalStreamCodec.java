package io.latchkey.authorization.signals;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a stream is stored: one JSON object, the push authorization header among its fields
 * (the store is the auth server's own, like client secrets).
 *
 * @since 0.1
 */
public final class SignalStreamCodec {

	private final JsonMapper json = JsonMapper.builder().build();

	public String encode(SignalStream stream) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("id", stream.id());
		fields.put("receiver", stream.receiver());
		fields.put("issuer", stream.issuer());
		fields.put("method", stream.delivery().method());
		fields.put("endpoint_url", stream.delivery().endpointUrl().toString());
		if (stream.delivery().authorizationHeader() != null) {
			fields.put("authorization_header", stream.delivery().authorizationHeader());
		}
		fields.put("events_requested", stream.eventsRequested());
		fields.put("events_delivered", stream.eventsDelivered());
		if (stream.description() != null) {
			fields.put("description", stream.description());
		}
		fields.put("status", stream.status().value());
		if (stream.reason() != null) {
			fields.put("reason", stream.reason());
		}
		fields.put("created_at", stream.createdAt().toString());
		return this.json.writeValueAsString(fields);
	}

	public SignalStream decode(String stored) {
		JsonNode node = this.json.readTree(stored);
		Delivery delivery = new Delivery(node.get("method").asString(), URI.create(node.get("endpoint_url").asString()),
				text(node, "authorization_header"));
		return new SignalStream(node.get("id").asString(), node.get("receiver").asString(),
				node.get("issuer").asString(), delivery, strings(node.get("events_requested")),
				strings(node.get("events_delivered")), text(node, "description"),
				StreamStatus.of(node.get("status").asString()).orElse(StreamStatus.DISABLED), text(node, "reason"),
				Instant.parse(node.get("created_at").asString()));
	}

	private static List<String> strings(@Nullable JsonNode array) {
		List<String> values = new ArrayList<>();
		if (array != null) {
			array.values().forEach((value) -> values.add(value.asString()));
		}
		return values;
	}

	private static @Nullable String text(JsonNode node, String field) {
		return node.hasNonNull(field) ? node.get(field).asString() : null;
	}

}
