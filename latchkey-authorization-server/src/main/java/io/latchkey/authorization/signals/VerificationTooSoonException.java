package io.latchkey.authorization.signals;

import java.time.Duration;

/**
 * A receiver asked for a verification event sooner than the stream's
 * {@code min_verification_interval} after the last: answered 429 with {@code Retry-After}
 * (SSF 1.0, verification).
 *
 * @since 0.1
 */
public final class VerificationTooSoonException extends RuntimeException {

	private final Duration retryAfter;

	public VerificationTooSoonException(Duration retryAfter) {
		super("A verification event was asked for too soon after the last");
		this.retryAfter = retryAfter;
	}

	/** {@code Retry-After} in whole seconds, at least one. */
	public long retryAfterSeconds() {
		return Math.max(1, (this.retryAfter.toMillis() + 999) / 1000);
	}

}
