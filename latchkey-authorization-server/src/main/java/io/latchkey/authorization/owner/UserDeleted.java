package io.latchkey.authorization.owner;

import java.util.List;

/**
 * A user was deleted from the directory, and with it the index of its tokens: whoever
 * keeps the token records deletes these. (The tokens are dead already: their owner is
 * gone.)
 */
public record UserDeleted(String username, List<String> tokenDigests) {

	public UserDeleted {
		tokenDigests = List.copyOf(tokenDigests);
	}

}
