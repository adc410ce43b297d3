package io.latchkey.auth.user;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.latchkey.auth.LatchkeyProperties;
import io.latchkey.auth.LatchkeyProperties.Right;
import io.latchkey.auth.system.ApiException;

import org.springframework.stereotype.Component;

/** The rights a deployment knows, from {@code latchkey.rights}. */
@Component
public class RightsCatalog {

	public static final String USERS_MANAGE = "users.manage";

	public static final String TOKENS_MANAGE = "tokens.manage";

	/**
	 * A scope, not a right: a token narrowed to scopes may read {@code /api/me} and list, revoke
	 * and rotate its owner's tokens only if its scopes include this one. A token that is not
	 * narrowed may do so anyway, as may anyone signed in with a password.
	 */
	public static final String SELF_SCOPE = "tokens.self";

	private final List<Right> rights;

	private final Set<String> names = new LinkedHashSet<>();

	public RightsCatalog(LatchkeyProperties properties) {
		this.rights = List.copyOf(properties.rights());
		this.rights.forEach((right) -> this.names.add(right.name()));
	}

	public List<Right> all() {
		return this.rights;
	}

	public Set<String> names() {
		return Set.copyOf(this.names);
	}

	/** Scopes a token may be narrowed to: the catalog's rights and {@link #SELF_SCOPE}, in that order. */
	public Set<String> validateScopes(String field, List<String> requested) {
		if (requested == null || !requested.contains(SELF_SCOPE)) {
			return validate(field, requested);
		}
		Set<String> scopes = validate(field, requested.stream().filter((scope) -> !SELF_SCOPE.equals(scope)).toList());
		scopes.add(SELF_SCOPE);
		return scopes;
	}

	/** The given rights in catalog order, or a 400 naming {@code field} if one is unknown. */
	public Set<String> validate(String field, List<String> requested) {
		Set<String> valid = new LinkedHashSet<>();
		if (requested == null) {
			return valid;
		}
		for (String right : requested) {
			if (!this.names.contains(right)) {
				throw ApiException.badField(field, "unknown right '" + right + "'; known rights are " + this.names);
			}
		}
		this.names.stream().filter(requested::contains).forEach(valid::add);
		return valid;
	}

}
