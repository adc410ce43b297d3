package io.latchkey.authorization.error;

/** No such user, group or token (for this owner). */
public final class NotFoundException extends LatchkeyException {

	public NotFoundException(String detail) {
		super(null, null, detail);
	}

}
