package io.latchkey.auth.token;

import java.util.Set;

/** An active token and the scopes it carries right now: its owner's rights within its narrowing. */
public record ActiveToken(PersonalAccessToken token, Set<String> scopes) {

	public ActiveToken {
		scopes = Set.copyOf(scopes);
	}

}
