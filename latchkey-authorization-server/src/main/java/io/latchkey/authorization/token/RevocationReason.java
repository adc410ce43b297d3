package io.latchkey.authorization.token;

/**
 * Why a token was revoked: said in its audit record, its revocation's listing and the
 * notice its owner gets.
 *
 * @since 0.1
 */
public enum RevocationReason {

	/** Its owner or a token manager asked, by id, all at once, or as an OAuth client. */
	REQUESTED("requested"),

	/** A token manager revoked it by its leaked string. */
	LEAKED("leaked"),

	/**
	 * Somebody reported it as leaked (the public report endpoint, or a secret scanner).
	 */
	REPORTED("reported"),

	/** It was not used within {@code latchkey.tokens.revoke-unused-after}. */
	UNUSED("unused"),

	/**
	 * A token of its rotation chain was presented again after it had been rotated away.
	 */
	REUSE("reuse");

	private final String value;

	RevocationReason(String value) {
		this.value = value;
	}

	/** The reason as audit records, lists and notices name it. */
	public String value() {
		return this.value;
	}

	/**
	 * The reason with this name.
	 * @param value a reason's {@link #value()}
	 * @return the reason, {@link #REQUESTED} for a name this version does not know
	 */
	public static RevocationReason of(String value) {
		for (RevocationReason reason : values()) {
			if (reason.value.equals(value)) {
				return reason;
			}
		}
		return REQUESTED;
	}

}
