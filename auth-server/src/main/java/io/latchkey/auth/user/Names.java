package io.latchkey.auth.user;

/** Patterns for user and group names: no spaces (lists are space-separated), no braces (hash tags). */
public final class Names {

	public static final String USERNAME = "[A-Za-z0-9][A-Za-z0-9._@-]{0,63}";

	public static final String GROUP = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

	private Names() {
	}

}
