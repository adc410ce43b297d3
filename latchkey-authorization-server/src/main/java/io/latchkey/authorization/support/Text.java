package io.latchkey.authorization.support;

import org.jspecify.annotations.Nullable;

/** What every request field that may be left empty goes through. */
public final class Text {

	private Text() {
	}

	/** The value without surrounding blanks, or null when there is nothing in it. */
	public static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
