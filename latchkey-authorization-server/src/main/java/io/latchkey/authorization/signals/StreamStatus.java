package io.latchkey.authorization.signals;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a stream delivers (SSF 1.0 "Stream Status").
 *
 * @since 0.1
 */
public enum StreamStatus {

	/** Events are kept and delivered. */
	ENABLED,

	/** Events are kept, not delivered, until the stream is enabled again. */
	PAUSED,

	/** Events are neither kept nor delivered; those kept are dropped. */
	DISABLED;

	/** The wire form: {@code enabled}, {@code paused}, {@code disabled}. */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The status of a wire value, if it is one. */
	public static Optional<StreamStatus> of(String value) {
		for (StreamStatus status : values()) {
			if (status.value().equals(value)) {
				return Optional.of(status);
			}
		}
		return Optional.empty();
	}

}
