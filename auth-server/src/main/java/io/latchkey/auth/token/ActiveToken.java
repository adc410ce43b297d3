package io.latchkey.auth.token;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * An active token and the scopes it carries right now: its owner's rights within its narrowing,
 * sorted so that the {@code scope} claim is stable.
 */
public record ActiveToken(PersonalAccessToken token, Set<String> scopes) {

	public ActiveToken {
		scopes = Collections.unmodifiableSet(new TreeSet<>(scopes));
	}

}
