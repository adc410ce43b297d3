package io.latchkey.authorization.signals;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One receiver's stream (SSF 1.0 "Stream Configuration"). A receiver, a registered
 * client, has at most one stream; the events it hears have its client id as {@code aud}.
 *
 * @param id the stream id
 * @param receiver the receiver's client id, the events' audience
 * @param issuer the events' {@code iss}
 * @param delivery how events reach the receiver
 * @param eventsRequested the event types the receiver asked for
 * @param eventsDelivered the event types it hears: those asked for that are supported
 * @param description the receiver's own note
 * @param status whether events are delivered
 * @param reason why the status was last changed, as the receiver said
 * @param createdAt when the stream was created
 * @since 0.1
 */
public record SignalStream(String id, String receiver, String issuer, Delivery delivery, List<String> eventsRequested,
		List<String> eventsDelivered, @Nullable String description, StreamStatus status, @Nullable String reason,
		Instant createdAt) {

	public SignalStream {
		Assert.hasText(id, "id cannot be empty");
		Assert.hasText(receiver, "receiver cannot be empty");
		Assert.hasText(issuer, "issuer cannot be empty");
		Assert.notNull(delivery, "delivery cannot be null");
		Assert.notNull(status, "status cannot be null");
		Assert.notNull(createdAt, "createdAt cannot be null");
		eventsRequested = List.copyOf(eventsRequested);
		eventsDelivered = List.copyOf(eventsDelivered);
	}

	/** Whether the receiver hears events of this type. */
	public boolean delivers(String eventType) {
		return this.eventsDelivered.contains(eventType);
	}

	public SignalStream withStatus(StreamStatus status, @Nullable String reason) {
		return new SignalStream(this.id, this.receiver, this.issuer, this.delivery, this.eventsRequested,
				this.eventsDelivered, this.description, status, reason, this.createdAt);
	}

}
