package io.latchkey.authorization.oauth;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;

/**
 * Too many failed client authentications lately: answered with 429, {@code Retry-After}
 * and the OAuth error {@code temporarily_unavailable}, without checking the secret.
 */
final class ClientThrottledException extends OAuth2AuthenticationException {

	static final String ERROR_CODE = "temporarily_unavailable";

	private final long retryAfterSeconds;

	ClientThrottledException(long retryAfterSeconds) {
		super(new OAuth2Error(ERROR_CODE,
				"Too many failed client authentications; try again in " + retryAfterSeconds + " seconds", null));
		this.retryAfterSeconds = retryAfterSeconds;
	}

	long retryAfterSeconds() {
		return this.retryAfterSeconds;
	}

}
