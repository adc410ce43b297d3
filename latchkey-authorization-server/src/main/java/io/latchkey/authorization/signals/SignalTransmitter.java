package io.latchkey.authorization.signals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.core.event.EventType;
import io.latchkey.core.event.LatchkeyEvent;
import io.latchkey.core.event.SecurityEventCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Turns every Latchkey event into Security Event Tokens, one per stream that asked for
 * its type and per subject, and keeps them in each stream until delivered. A token's
 * events go only to receivers the token is meant for
 * ({@link AccessPolicy#mayHearOfToken}); a user's go to every stream. A disabled stream
 * keeps nothing; a paused one keeps everything. A stream whose cap overflows is marked,
 * and its receiver is given a {@code stream-updated} event first ({@link LostEvents})
 * until it acknowledges it, so that it empties its cache. Called on the thread that made
 * the change, after the change was stored, like the events channel.
 *
 * @since 0.1
 */
public final class SignalTransmitter {

	private final SignalStreams streams;

	private final SecurityEventTokens tokens;

	private final AccessPolicy access;

	private final Set<String> receivers;

	private final int maxEvents;

	private static final Logger logger = LoggerFactory.getLogger(SignalTransmitter.class);

	private final SecurityEventCodec codec = new SecurityEventCodec();

	private Runnable onKept = () -> {
	};

	/**
	 * @param streams where streams and their events are kept
	 * @param tokens signs the events
	 * @param access who hears of a token
	 * @param receivers the clients allowed a stream
	 * @param maxEvents the events one stream keeps undelivered
	 */
	public SignalTransmitter(SignalStreams streams, SecurityEventTokens tokens, AccessPolicy access,
			Set<String> receivers, int maxEvents) {
		Assert.notNull(streams, "streams cannot be null");
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(access, "access cannot be null");
		Assert.notNull(receivers, "receivers cannot be null");
		Assert.isTrue(maxEvents > 0, "maxEvents must be positive");
		this.streams = streams;
		this.tokens = tokens;
		this.access = access;
		this.receivers = Set.copyOf(receivers);
		this.maxEvents = maxEvents;
	}

	/**
	 * What runs once events were kept (push delivery, so that it need not wait for its
	 * next run).
	 */
	public void setOnKept(Runnable onKept) {
		Assert.notNull(onKept, "onKept cannot be null");
		this.onKept = onKept;
	}

	/**
	 * Keeps the events that {@code event} becomes in every stream that hears them.
	 * @param event what changed
	 */
	public void publish(LatchkeyEvent event) {
		String type = SecurityEventCodec.typeOf(event.type());
		String txn = UUID.randomUUID().toString();
		for (String receiver : this.receivers) {
			try {
				publish(event, receiver, type, txn);
			}
			catch (RuntimeException ex) {
				lost(receiver, ex);
			}
		}
	}

	private void publish(LatchkeyEvent event, String receiver, String type, String txn) {
		SignalStream stream = this.streams.find(receiver).orElse(null);
		if (stream == null || stream.status() == StreamStatus.DISABLED || !stream.delivers(type)) {
			return;
		}
		if (event.type().reach() == EventType.Reach.TOKEN && !this.access.mayHearOfToken(receiver, event.audience())) {
			return;
		}
		for (SecurityEventCodec.SecurityEvent set : this.codec.encode(event, stream.issuer())) {
			keep(stream, set.subject(), set.type(), set.members(), txn);
		}
	}

	/**
	 * An event could not be kept for this receiver: its stream is marked lost, so that it
	 * is told to empty its cache ({@link LostEvents}); the other receivers and the change
	 * itself go on.
	 */
	private void lost(String receiver, RuntimeException failure) {
		String marked = "its stream is marked lost";
		try {
			this.streams.markLost(receiver);
		}
		catch (RuntimeException ex) {
			marked = "nor could its stream be marked lost (" + ex.getClass().getSimpleName() + ")";
		}
		logger.warn("A Shared Signals event for client '{}' could not be kept ({}); {}", receiver,
				failure.getClass().getSimpleName(), marked);
	}

	/**
	 * Answers a receiver's verification request with a {@code verification} event.
	 * @param stream the receiver's stream
	 * @param state what the receiver asked to be given back
	 */
	public void verify(SignalStream stream, @Nullable String state) {
		Map<String, Object> event = new LinkedHashMap<>();
		if (state != null) {
			event.put("state", state);
		}
		keep(stream, SecurityEventTokens.streamSubject(stream.id()), SecurityEventCodec.VERIFICATION, event, null);
	}

	private void keep(SignalStream stream, Map<String, Object> subject, String type, Map<String, Object> event,
			@Nullable String txn) {
		SecurityEventTokens.Signed set = this.tokens.sign(stream, subject, type, event, txn);
		this.streams.append(stream.receiver(), set.jti(), set.value(), this.maxEvents);
		this.onKept.run();
	}

	/** The clients allowed a stream. */
	public List<String> receivers() {
		return new ArrayList<>(this.receivers);
	}

}
