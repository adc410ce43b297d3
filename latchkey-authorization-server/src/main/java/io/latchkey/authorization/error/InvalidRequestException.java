package io.latchkey.authorization.error;

/** Bad input: {@code field} names the field at fault. */
public final class InvalidRequestException extends LatchkeyException {

	public InvalidRequestException(String field, String detail) {
		super(field, null, detail);
	}

}
