package io.latchkey.authorization.error;

import org.jspecify.annotations.Nullable;

/**
 * The current state does not allow it: a name taken, the last administrator, too many
 * tokens.
 */
public final class ConflictException extends LatchkeyException {

	public ConflictException(String detail) {
		super(null, null, detail);
	}

	/** A conflict with a rule of who may do what (the last full administrator). */
	public ConflictException(@Nullable Rule rule, String detail) {
		super(null, rule, detail);
	}

}
