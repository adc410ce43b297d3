package io.latchkey.authorization.signals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.error.NotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.util.Assert;

/**
 * Poll delivery (RFC 8936): a receiver acknowledges what it processed ({@code ack}) or
 * refused ({@code setErrs}, both forgotten then), and gets up to {@code maxEvents}
 * undelivered events, oldest first, with {@code moreAvailable}. Unless it asks to
 * {@code returnImmediately}, a poll that finds nothing waits up to the configured time
 * for an event; only one poll per receiver waits on an instance at a time, and another
 * that finds nothing meanwhile returns at once, empty (as if it had asked to return
 * immediately: RFC 8936 lets the transmitter answer an empty poll at any time), so that
 * no receiver holds more than one request thread. An event stays until acknowledged, and
 * is given again in every poll until then: a receiver that crashed before acknowledging
 * loses nothing. A paused or disabled stream gives nothing (a paused one keeps its events
 * for later). A stream that lost events gives its {@code stream-updated} notice first, in
 * every poll until acknowledged ({@link LostEvents}).
 *
 * @since 0.1
 */
public final class SignalPolls {

	/** The most events one poll may ask for. */
	public static final int MAX_EVENTS = 1000;

	/** The events a poll gets when it does not say. */
	public static final int DEFAULT_EVENTS = 100;

	private static final Duration CHECK_EVERY = Duration.ofMillis(50);

	private static final Logger logger = LoggerFactory.getLogger(SignalPolls.class);

	private final SignalStreams streams;

	private final LostEvents lost;

	private final Duration maxWait;

	/** The receivers with a poll waiting on this instance: at most one each. */
	private final Set<String> waiting = ConcurrentHashMap.newKeySet();

	/**
	 * @param streams the streams and their events
	 * @param lost the notices of lost events, given first
	 * @param maxWait the longest a poll waits for an event
	 */
	public SignalPolls(SignalStreams streams, LostEvents lost, Duration maxWait) {
		Assert.notNull(streams, "streams cannot be null");
		Assert.notNull(lost, "lost cannot be null");
		Assert.notNull(maxWait, "maxWait cannot be null");
		this.streams = streams;
		this.lost = lost;
		this.maxWait = maxWait;
	}

	/**
	 * One poll.
	 * @param receiver the client polling
	 * @param request the poll request (RFC 8936 section 2.4)
	 * @return {@code sets} (jti to SET) and {@code moreAvailable}
	 */
	public Map<String, Object> poll(String receiver, JsonNode request) {
		if (request == null || !request.isObject()) {
			throw new InvalidRequestException("body", "must be a JSON object");
		}
		List<String> acknowledged = acknowledged(request);
		int maxEvents = maxEvents(request.get("maxEvents"));
		boolean returnImmediately = flag(request.get("returnImmediately"));
		SignalStream stream = this.streams.find(receiver)
			.orElseThrow(() -> new NotFoundException("Client '" + receiver + "' has no stream"));
		if (!Delivery.POLL.equals(stream.delivery().method())) {
			throw new InvalidRequestException("delivery.method", "the stream is delivered by push, not poll");
		}
		this.streams.acknowledge(receiver, acknowledged);
		Map<String, Object> answer = new LinkedHashMap<>();
		Map<String, String> sets = new LinkedHashMap<>();
		boolean more = false;
		if (stream.status() == StreamStatus.ENABLED && maxEvents > 0) {
			SignalStreams.Pending notice = this.lost.owed(stream).orElse(null);
			int room = maxEvents;
			if (notice != null) {
				sets.put(notice.jti(), notice.set());
				room--;
				returnImmediately = true;
			}
			long deadline = System.nanoTime() + (returnImmediately ? 0 : this.maxWait.toNanos());
			List<SignalStreams.Pending> pending = this.streams.pending(receiver, room + 1);
			if (pending.isEmpty() && System.nanoTime() < deadline && this.waiting.add(receiver)) {
				try {
					while (pending.isEmpty() && System.nanoTime() < deadline
							&& !Thread.currentThread().isInterrupted()) {
						sleep();
						pending = this.streams.pending(receiver, room + 1);
					}
				}
				finally {
					this.waiting.remove(receiver);
				}
			}
			more = pending.size() > room;
			pending.stream().limit(room).forEach((set) -> sets.put(set.jti(), set.set()));
		}
		answer.put("sets", sets);
		answer.put("moreAvailable", more);
		return answer;
	}

	private static List<String> acknowledged(JsonNode request) {
		List<String> jtis = new ArrayList<>();
		JsonNode ack = request.get("ack");
		if (ack != null && !ack.isNull()) {
			if (!ack.isArray()) {
				throw new InvalidRequestException("ack", "must be an array of jti");
			}
			int index = 0;
			for (JsonNode jti : ack.values()) {
				if (!jti.isString()) {
					throw new InvalidRequestException("ack[" + index + "]", "must be a string");
				}
				jtis.add(jti.asString());
				index++;
			}
		}
		JsonNode errors = request.get("setErrs");
		if (errors != null && !errors.isNull()) {
			if (!errors.isObject()) {
				throw new InvalidRequestException("setErrs", "must be an object of jti to {err, description}");
			}
			for (String jti : errors.propertyNames()) {
				if (logger.isDebugEnabled()) {
					logger.debug("A receiver refused event {}", jti);
				}
				jtis.add(jti);
			}
		}
		return jtis;
	}

	private static int maxEvents(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return DEFAULT_EVENTS;
		}
		if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0 || node.asInt() > MAX_EVENTS) {
			throw new InvalidRequestException("maxEvents", "must be a whole number from 0 to " + MAX_EVENTS);
		}
		return node.asInt();
	}

	private static boolean flag(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return false;
		}
		if (!node.isBoolean()) {
			throw new InvalidRequestException("returnImmediately", "must be true or false");
		}
		return node.asBoolean();
	}

	private static void sleep() {
		try {
			Thread.sleep(CHECK_EVERY);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
