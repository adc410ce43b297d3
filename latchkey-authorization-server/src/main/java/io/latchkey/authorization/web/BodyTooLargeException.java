package io.latchkey.authorization.web;

import java.io.IOException;

/** A request body went past the configured limit while it was read: answered with 413. */
public final class BodyTooLargeException extends IOException {

	public BodyTooLargeException(long maxBytes) {
		super("The request body is larger than " + maxBytes + " bytes");
	}

}
