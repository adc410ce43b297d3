package io.latchkey.authorization.signals;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.latchkey.authorization.error.ConflictException;
import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.error.NotFoundException;
import io.latchkey.core.event.SecurityEventCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.util.Assert;

/**
 * A receiver's management of its own stream (SSF 1.0 "Event Stream Management"): create,
 * read, update, replace, delete, its status, verification. A receiver has at most one
 * stream and reaches no other: a stream id that is not its own is not found. A stream
 * created without {@code delivery} is polled, as SSF 1.0 says. Every request is validated
 * here, each refusal naming the field: a delivery method other than push or poll, a push
 * URL that is not http(s) or that the administrator did not allow, an event type that is
 * not supported (stricter than SSF, which ignores them: a receiver then learns at once
 * that it will not hear what it asked for), a transmitter-supplied member repeated in an
 * update with another value.
 *
 * @since 0.1
 */
public final class SignalStreamService {

	/** The longest description, reason, state or authorization header kept. */
	public static final int MAX_TEXT = 1024;

	/**
	 * What an {@code Authorization} header sent with a push may hold: printable ASCII.
	 */
	private static final Pattern HEADER_VALUE = Pattern.compile("[\\x20-\\x7E]+");

	private final SignalStreams streams;

	private final SignalTransmitter transmitter;

	private final PushUrls pushUrls;

	private Duration minVerificationInterval = Duration.ofSeconds(5);

	private Clock clock = Clock.systemUTC();

	public SignalStreamService(SignalStreams streams, SignalTransmitter transmitter, PushUrls pushUrls) {
		Assert.notNull(streams, "streams cannot be null");
		Assert.notNull(transmitter, "transmitter cannot be null");
		Assert.notNull(pushUrls, "pushUrls cannot be null");
		this.streams = streams;
		this.transmitter = transmitter;
		this.pushUrls = pushUrls;
	}

	/**
	 * The least time between two verification events a receiver asks for (SSF 1.0
	 * {@code min_verification_interval}); a request sooner is refused.
	 */
	public void setMinVerificationInterval(Duration interval) {
		Assert.isTrue(interval.isPositive(), "interval must be positive");
		this.minVerificationInterval = interval;
	}

	/** The least time between two verification events a receiver asks for. */
	public Duration minVerificationInterval() {
		return this.minVerificationInterval;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Creates the receiver's stream.
	 * @param receiver the client asking
	 * @param issuer the events' issuer
	 * @param pollUrl the transmitter's poll URL, for a poll stream
	 * @param request the stream configuration asked for
	 * @return the stream
	 */
	public SignalStream create(String receiver, String issuer, URI pollUrl, JsonNode request) {
		requireObject(request);
		Delivery delivery = delivery(request.get("delivery"), pollUrl);
		List<String> requested = eventsRequested(request.get("events_requested"));
		SignalStream stream = new SignalStream(UUID.randomUUID().toString(), receiver, issuer, delivery, requested,
				delivered(requested), text(request, "description"), StreamStatus.ENABLED, null, this.clock.instant());
		if (!this.streams.create(stream)) {
			throw new ConflictException("Client '" + receiver + "' has a stream already: update or delete it");
		}
		return stream;
	}

	/** The receiver's stream, if it has one. */
	public java.util.Optional<SignalStream> find(String receiver) {
		return this.streams.find(receiver);
	}

	/**
	 * The receiver's stream.
	 * @param streamId the id asked for ({@code null}: the receiver's, whatever its id)
	 */
	public SignalStream read(String receiver, @Nullable String streamId) {
		SignalStream stream = this.streams.find(receiver)
			.orElseThrow(() -> new NotFoundException("Client '" + receiver + "' has no stream"));
		if (streamId != null && !streamId.equals(stream.id())) {
			throw new NotFoundException("No stream '" + streamId + "'");
		}
		return stream;
	}

	/**
	 * Changes what the request names ({@code PATCH}), or everything the receiver may set
	 * ({@code PUT}, {@code replace}).
	 * @param replace whether fields left out go back to their defaults
	 */
	public SignalStream update(String receiver, URI pollUrl, JsonNode request, boolean replace) {
		requireObject(request);
		SignalStream stream = read(receiver, requiredText(request, "stream_id"));
		requireTransmitterSupplied(stream, request);
		Delivery delivery = (replace || request.has("delivery")) ? delivery(request.get("delivery"), pollUrl)
				: stream.delivery();
		List<String> requested = (replace || request.has("events_requested"))
				? eventsRequested(request.get("events_requested")) : stream.eventsRequested();
		String description = (replace || request.has("description")) ? text(request, "description")
				: stream.description();
		SignalStream updated = new SignalStream(stream.id(), receiver, stream.issuer(), delivery, requested,
				delivered(requested), description, stream.status(), stream.reason(), stream.createdAt());
		if (!this.streams.replace(updated)) {
			throw new NotFoundException("Client '" + receiver + "' has no stream");
		}
		return updated;
	}

	/** Deletes the receiver's stream and the events it kept. */
	public void delete(String receiver, @Nullable String streamId) {
		read(receiver, requireStreamId(streamId));
		this.streams.delete(receiver);
	}

	/**
	 * Sets the stream's status: a disabled stream drops what it kept, a paused one keeps
	 * it for later.
	 */
	public SignalStream status(String receiver, JsonNode request) {
		requireObject(request);
		SignalStream stream = read(receiver, requiredText(request, "stream_id"));
		String value = requiredText(request, "status");
		StreamStatus status = StreamStatus.of(value)
			.orElseThrow(() -> new InvalidRequestException("status", "must be enabled, paused or disabled"));
		SignalStream updated = stream.withStatus(status, text(request, "reason"));
		if (!this.streams.replace(updated)) {
			throw new NotFoundException("Client '" + receiver + "' has no stream");
		}
		if (status == StreamStatus.DISABLED) {
			this.streams.clear(receiver);
		}
		return updated;
	}

	/** Sends a verification event with the {@code state} asked for. */
	public void verify(String receiver, JsonNode request) {
		requireObject(request);
		SignalStream stream = read(receiver, requiredText(request, "stream_id"));
		if (stream.status() == StreamStatus.DISABLED) {
			throw new ConflictException("Stream '" + stream.id() + "' is disabled: enable it first");
		}
		Duration wait = this.streams.claimVerification(receiver, this.minVerificationInterval);
		if (!wait.isZero()) {
			throw new VerificationTooSoonException(wait);
		}
		this.transmitter.verify(stream, text(request, "state"));
	}

	/** The delivery asked for; none is poll (SSF 1.0: "MUST assume ... poll"). */
	private Delivery delivery(@Nullable JsonNode node, URI pollUrl) {
		if (node == null || node.isNull()) {
			return new Delivery(Delivery.POLL, pollUrl, null);
		}
		if (!node.isObject()) {
			throw new InvalidRequestException("delivery", "must be an object");
		}
		String method = text(node, "method", "delivery.method");
		if (Delivery.POLL.equals(method)) {
			return new Delivery(Delivery.POLL, pollUrl, null);
		}
		if (!Delivery.PUSH.equals(method)) {
			throw new InvalidRequestException("delivery.method",
					"must be " + Delivery.PUSH + " (push) or " + Delivery.POLL + " (poll)");
		}
		String endpoint = text(node, "endpoint_url", "delivery.endpoint_url");
		if (endpoint == null) {
			throw new InvalidRequestException("delivery.endpoint_url", "is required for push delivery");
		}
		URI url = pushUrl(endpoint);
		String authorization = text(node, "authorization_header", "delivery.authorization_header");
		if (authorization != null && !HEADER_VALUE.matcher(authorization).matches()) {
			throw new InvalidRequestException("delivery.authorization_header",
					"must be printable ASCII, without line breaks or other control characters");
		}
		return new Delivery(Delivery.PUSH, url, authorization);
	}

	private URI pushUrl(String endpoint) {
		URI url;
		try {
			url = new URI(endpoint);
		}
		catch (URISyntaxException ex) {
			throw new InvalidRequestException("delivery.endpoint_url", "is not a URL");
		}
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null || url.getUserInfo() != null
				|| url.getFragment() != null) {
			throw new InvalidRequestException("delivery.endpoint_url",
					"must be an absolute http or https URL, without user info or fragment");
		}
		if (!this.pushUrls.allows(url)) {
			throw new InvalidRequestException("delivery.endpoint_url",
					"is not among the URLs the administrator allowed (latchkey.signals.allowed-push-urls)");
		}
		return url;
	}

	/**
	 * SSF 1.0 lets an update or a replacement repeat the transmitter's own members, but
	 * they must match what the stream has ({@code events_delivered} before the change).
	 */
	private static void requireTransmitterSupplied(SignalStream stream, JsonNode request) {
		requireSame(request, "iss", stream.issuer());
		JsonNode aud = request.get("aud");
		if (aud != null && !(aud.isString() && aud.asString().equals(stream.receiver())) && !(aud.isArray()
				&& aud.size() == 1 && aud.get(0).isString() && aud.get(0).asString().equals(stream.receiver()))) {
			throw new InvalidRequestException("aud", "must be the stream's (" + stream.receiver() + ") or left out");
		}
		requireSameTypes(request, "events_supported", SecurityEventCodec.SUPPORTED);
		requireSameTypes(request, "events_delivered", stream.eventsDelivered());
	}

	private static void requireSame(JsonNode request, String field, String expected) {
		JsonNode value = request.get(field);
		if (value != null && !(value.isString() && value.asString().equals(expected))) {
			throw new InvalidRequestException(field, "must be the stream's (" + expected + ") or left out");
		}
	}

	private static void requireSameTypes(JsonNode request, String field, List<String> expected) {
		JsonNode value = request.get(field);
		if (value == null) {
			return;
		}
		List<String> given = new ArrayList<>();
		if (value.isArray()) {
			for (JsonNode type : value.values()) {
				given.add(type.isString() ? type.asString() : type.toString());
			}
		}
		if (!value.isArray() || !Set.copyOf(given).equals(Set.copyOf(expected))) {
			throw new InvalidRequestException(field, "must be the stream's " + expected + " or left out");
		}
	}

	private static List<String> eventsRequested(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return SecurityEventCodec.SUPPORTED;
		}
		if (!node.isArray()) {
			throw new InvalidRequestException("events_requested", "must be an array of event type URIs");
		}
		List<String> requested = new ArrayList<>();
		int index = 0;
		for (JsonNode type : node.values()) {
			if (!type.isString() || !SecurityEventCodec.SUPPORTED.contains(type.asString())) {
				throw new InvalidRequestException("events_requested[" + index + "]",
						"is not a supported event type (one of " + SecurityEventCodec.SUPPORTED + ")");
			}
			if (!requested.contains(type.asString())) {
				requested.add(type.asString());
			}
			index++;
		}
		return requested;
	}

	private static List<String> delivered(List<String> requested) {
		return requested.stream().filter(SecurityEventCodec.SUPPORTED::contains).toList();
	}

	private static void requireObject(JsonNode request) {
		if (request == null || !request.isObject()) {
			throw new InvalidRequestException("body", "must be a JSON object");
		}
	}

	private static String requireStreamId(@Nullable String streamId) {
		if (streamId == null || streamId.isBlank()) {
			throw new InvalidRequestException("stream_id", "is required");
		}
		return streamId;
	}

	private static String requiredText(JsonNode node, String field) {
		return requireField(text(node, field), field);
	}

	private static String requireField(@Nullable String value, String field) {
		if (value == null || value.isBlank()) {
			throw new InvalidRequestException(field, "is required");
		}
		return value;
	}

	private static @Nullable String text(JsonNode node, String field) {
		return text(node, field, field);
	}

	private static @Nullable String text(JsonNode node, String field, String name) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw new InvalidRequestException(name, "must be a string");
		}
		if (value.asString().length() > MAX_TEXT) {
			throw new InvalidRequestException(name, "must be at most " + MAX_TEXT + " characters");
		}
		return value.asString();
	}

}
