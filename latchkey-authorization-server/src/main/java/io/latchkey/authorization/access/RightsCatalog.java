package io.latchkey.authorization.access;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.latchkey.authorization.error.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * The rights a deployment knows: Latchkey's own ({@code users.manage},
 * {@code tokens.manage}, {@code audit.read}) and those the deployment configures in
 * {@code latchkey.rights} (its resource services' scopes, such as {@code projects.read}).
 */
public final class RightsCatalog {

	public static final String USERS_MANAGE = "users.manage";

	public static final String TOKENS_MANAGE = "tokens.manage";

	public static final String AUDIT_READ = "audit.read";

	/**
	 * A scope, not a right: a token narrowed to scopes may read {@code /api/me} and list,
	 * revoke and rotate its owner's tokens only if its scopes include this one. A token
	 * that is not narrowed may do so anyway, as may anyone signed in with a password.
	 */
	public static final String SELF_SCOPE = "tokens.self";

	private static final List<Right> OWN = List.of(new Right(USERS_MANAGE, "Manage users and groups"),
			new Right(TOKENS_MANAGE, "Manage other users' access tokens and revoke leaked tokens"),
			new Right(AUDIT_READ, "Read the audit log"));

	private final List<Right> rights;

	private final Set<String> names = new LinkedHashSet<>();

	public RightsCatalog(List<Right> configured) {
		Map<String, Right> byName = new LinkedHashMap<>();
		configured.forEach((right) -> byName.put(right.name(), right));
		OWN.forEach((right) -> byName.putIfAbsent(right.name(), right));
		this.rights = List.copyOf(byName.values());
		this.names.addAll(byName.keySet());
	}

	public List<Right> all() {
		return this.rights;
	}

	public Set<String> names() {
		return Set.copyOf(this.names);
	}

	/**
	 * Scopes a token may be narrowed to: the catalog's rights and {@link #SELF_SCOPE}, in
	 * that order.
	 */
	public Set<String> validateScopes(String field, @Nullable List<String> requested) {
		if (requested == null || !requested.contains(SELF_SCOPE)) {
			return validate(field, requested);
		}
		List<String> rights = new ArrayList<>(requested);
		rights.removeIf(SELF_SCOPE::equals);
		Set<String> scopes = validate(field, rights);
		scopes.add(SELF_SCOPE);
		return scopes;
	}

	/**
	 * The given rights in catalog order, or a refusal naming {@code field} if one is
	 * unknown.
	 */
	public Set<String> validate(String field, @Nullable List<String> requested) {
		Set<String> valid = new LinkedHashSet<>();
		if (requested == null) {
			return valid;
		}
		for (String right : requested) {
			if (!this.names.contains(right)) {
				throw new InvalidRequestException(field,
						"unknown right '" + right + "'; known rights are " + this.names);
			}
		}
		this.names.stream().filter(requested::contains).forEach(valid::add);
		return valid;
	}

}
