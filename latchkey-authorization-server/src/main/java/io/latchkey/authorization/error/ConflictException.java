package io.latchkey.authorization.error;

/** The current state does not allow it: a name taken, the last administrator, too many tokens. */
public final class ConflictException extends LatchkeyException {

	public ConflictException(String detail) {
		super(null, detail);
	}

}
