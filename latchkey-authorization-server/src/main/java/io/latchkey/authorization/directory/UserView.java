package io.latchkey.authorization.directory;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A user as the API shows it: never the password hash. A service account has no password:
 * it cannot sign in, it only owns tokens (a dedicated integration user).
 */
public record UserView(String username, String displayName, boolean enabled, boolean serviceAccount, Set<String> groups,
		Set<String> rights, Instant createdAt, @Nullable String email) {

}
