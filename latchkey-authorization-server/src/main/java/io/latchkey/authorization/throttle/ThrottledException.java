package io.latchkey.authorization.throttle;

import java.time.Duration;

import org.springframework.security.core.AuthenticationException;

/** Too many failed attempts lately: refused without checking the password. */
public class ThrottledException extends AuthenticationException {

	private final Duration retryAfter;

	public ThrottledException(Duration retryAfter) {
		super("Too many failed attempts; try again later");
		this.retryAfter = retryAfter;
	}

	/** How long until an attempt may succeed again. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * {@link #retryAfter()} in whole seconds, at least one: the {@code Retry-After}
	 * header's value.
	 */
	public long retryAfterSeconds() {
		return Math.max(1, (this.retryAfter.toMillis() + 999) / 1000);
	}

}
