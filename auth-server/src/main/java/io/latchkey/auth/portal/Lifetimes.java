package io.latchkey.auth.portal;

import java.util.ArrayList;
import java.util.List;

import io.latchkey.authorization.token.TokenPolicy;

/** The lifetimes the token policy allows, for the generate form's expiry choice. */
record Lifetimes(long defaultDays, List<Long> choices) {

	private static final long[] USUAL = { 1, 7, 30, 60, 90, 180, 365 };

	static Lifetimes of(TokenPolicy policy) {
		long max = policy.maxLifetime().toDays();
		long def = Math.min(policy.defaultLifetime().toDays(), max);
		List<Long> choices = new ArrayList<>();
		for (long days : USUAL) {
			if (days <= max) {
				choices.add(days);
			}
		}
		if (!choices.contains(def)) {
			choices.add(def);
		}
		if (!choices.contains(max)) {
			choices.add(max);
		}
		choices.sort(null);
		return new Lifetimes(def, choices);
	}

}
