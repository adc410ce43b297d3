package io.latchkey.authorization.error;

/** The actor may not do this: the {@link Rule} of who may do what that refuses it. */
public final class NotAllowedException extends LatchkeyException {

	public NotAllowedException(Rule rule, String detail) {
		super(null, rule, detail);
	}

}
