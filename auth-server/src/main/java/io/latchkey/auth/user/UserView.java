package io.latchkey.auth.user;

import java.time.Instant;
import java.util.Set;

/** A user as the API shows it: never the password hash. */
public record UserView(String username, String displayName, boolean enabled, Set<String> groups, Set<String> rights,
		Instant createdAt) {

}
