package io.latchkey.authorization.error;

import org.jspecify.annotations.Nullable;

/**
 * A request Latchkey refuses, in the domain's words: bad input (naming the field at
 * fault), an action the actor may not take, something that does not exist, or a conflict
 * with the current state. The web layer turns each kind into its HTTP answer; the
 * services never speak HTTP. Messages are constant sentences or name what the caller
 * sent, never a token or a password.
 */
public abstract sealed class LatchkeyException extends RuntimeException
		permits InvalidRequestException, NotAllowedException, NotFoundException, ConflictException {

	private final @Nullable String field;

	private final @Nullable Rule rule;

	protected LatchkeyException(@Nullable String field, @Nullable Rule rule, String detail) {
		super(detail);
		this.field = field;
		this.rule = rule;
	}

	/** The request field at fault, if one is. */
	public @Nullable String field() {
		return this.field;
	}

	/** The rule of who may do what that refuses, if one does. */
	public @Nullable Rule rule() {
		return this.rule;
	}

}
