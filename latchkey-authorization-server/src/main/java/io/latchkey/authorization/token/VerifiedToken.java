package io.latchkey.authorization.token;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An active token and what it may do right now: its owner's current rights within its
 * narrowing, sorted so that the {@code scope} claim is stable, and its RFC 7662 claims, built
 * once for every caller (the introspection endpoint, the API's own bearer authentication).
 */
public record VerifiedToken(PersonalAccessToken token, Set<String> scopes, Map<String, Object> claims) {

	public VerifiedToken {
		scopes = Collections.unmodifiableSet(new TreeSet<>(scopes));
		claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
	}

	static VerifiedToken of(PersonalAccessToken token, Set<String> scopes) {
		TreeSet<String> sorted = new TreeSet<>(scopes);
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("sub", token.owner());
		claims.put("username", token.owner());
		if (!sorted.isEmpty()) {
			claims.put("scope", List.copyOf(sorted));
		}
		claims.put("iat", token.createdAt());
		claims.put("exp", token.expiresAt());
		claims.put("jti", token.id());
		claims.put("token_type", "Bearer");
		return new VerifiedToken(token, sorted, claims);
	}

	/** Whether the token was narrowed to scopes when it was generated. */
	public boolean narrowed() {
		return !this.token.scopes().isEmpty();
	}

}
