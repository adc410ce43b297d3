package io.latchkey.authorization.directory;

/**
 * Patterns for user and group names: no spaces (lists are space-separated), no braces
 * (hash tags).
 */
public final class Names {

	public static final String USERNAME = "[A-Za-z0-9][A-Za-z0-9._@-]{0,63}";

	public static final String GROUP = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

	/**
	 * BCrypt reads at most 72 bytes of a password: a longer one is refused, never cut
	 * short.
	 */
	public static final int PASSWORD_MAX_BYTES = 72;

	private Names() {
	}

}
