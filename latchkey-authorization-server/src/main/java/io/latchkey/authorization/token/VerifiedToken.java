package io.latchkey.authorization.token;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.latchkey.core.AddressRange;

/**
 * An active token and what it may do right now: its owner's current rights within its
 * narrowing, sorted so that the {@code scope} claim is stable, and its RFC 7662 claims,
 * built once for every caller (the introspection endpoint, the API's own bearer
 * authentication). Its {@code exp} is when it stops working (earlier than its expiry once
 * rotated), and a token with an allowlist carries it as {@code allowed_ips}, so that an
 * answer cached by a resource service is checked against each request's client address
 * too. A token bound to a key answers {@code cnf.jkt} (RFC 9449 section 6.2), its
 * {@code token_type} {@code DPoP}.
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
		claims.put("exp", token.endsAt());
		claims.put("jti", token.id());
		claims.put("token_type", token.isBound() ? "DPoP" : "Bearer");
		if (token.isBound()) {
			claims.put("cnf", Map.of("jkt", token.jkt()));
		}
		if (!token.allowedIps().isEmpty()) {
			claims.put(AddressRange.ALLOWED_IPS_CLAIM, token.allowedIps());
		}
		return new VerifiedToken(token, sorted, claims);
	}

	/** Whether the token was narrowed to scopes when it was generated. */
	public boolean narrowed() {
		return !this.token.scopes().isEmpty();
	}

}
