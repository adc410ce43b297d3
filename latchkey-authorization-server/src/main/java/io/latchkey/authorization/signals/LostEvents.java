package io.latchkey.authorization.signals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.latchkey.core.event.SecurityEventCodec;

import org.springframework.util.Assert;

/**
 * The {@code stream-updated} notice a receiver is owed once its stream lost events
 * (dropped by the cap, or not kept because the store failed): signed afresh, under the id
 * the stream's mark holds, each time it is given, and given first by poll and push until
 * the receiver acknowledges it. It is never among the capped events, so that later events
 * cannot push it out.
 *
 * @since 0.1
 */
public final class LostEvents {

	private final SignalStreams streams;

	private final SecurityEventTokens tokens;

	/**
	 * @param streams where the marks are kept
	 * @param tokens signs the notices
	 */
	public LostEvents(SignalStreams streams, SecurityEventTokens tokens) {
		Assert.notNull(streams, "streams cannot be null");
		Assert.notNull(tokens, "tokens cannot be null");
		this.streams = streams;
		this.tokens = tokens;
	}

	/** The notice the stream's receiver is owed, if it is owed one. */
	public Optional<SignalStreams.Pending> owed(SignalStream stream) {
		return this.streams.lost(stream.receiver()).map((jti) -> {
			Map<String, Object> updated = new LinkedHashMap<>();
			updated.put("status", stream.status().value());
			updated.put("reason",
					"Events were lost. Empty your cache: revocations may be among them. Acknowledge this event once done");
			SecurityEventTokens.Signed notice = this.tokens.sign(jti, stream,
					SecurityEventTokens.streamSubject(stream.id()), SecurityEventCodec.STREAM_UPDATED, updated, null);
			return new SignalStreams.Pending(notice.jti(), notice.value());
		});
	}

}
