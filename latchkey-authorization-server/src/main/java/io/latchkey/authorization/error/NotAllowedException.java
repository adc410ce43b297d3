package io.latchkey.authorization.error;

/** The actor may not do this: a right, the password factor or a rule of who may do what is missing. */
public final class NotAllowedException extends LatchkeyException {

	public NotAllowedException(String detail) {
		super(null, detail);
	}

}
