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
