package io.latchkey.authorization.redis;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** Space-separated lists, the form in which Redis hashes here keep sets of names. */
public final class Spaced {

	private Spaced() {
	}

	public static Set<String> split(String spaced) {
		if (spaced == null || spaced.isBlank()) {
			return Set.of();
		}
		return new LinkedHashSet<>(Arrays.asList(spaced.trim().split("\\s+")));
	}

	public static String join(Set<String> names) {
		return String.join(" ", names);
	}

}
