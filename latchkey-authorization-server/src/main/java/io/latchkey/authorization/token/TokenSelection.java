package io.latchkey.authorization.token;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.support.Text;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Which tokens of the credentials inventory a request means: every filter optional,
 * together they narrow (all must match). {@code owner} and {@code createdBy} are
 * usernames, regardless of case; {@code expiringBefore} keeps tokens whose expiry lies
 * before that instant (expired ones too); {@code unusedSince} keeps tokens not used since
 * that instant, never used ones included; {@code audience} keeps tokens that work at that
 * service, tokens without an audience (any service) included, since a stolen one works
 * there too; {@code states} keeps tokens in any of those states (none given: every
 * state). A token is {@link State#LIVE} while it works (a rotated token until its overlap
 * ends), {@link State#EXPIRED} once it stopped working by itself (expired, or rotated and
 * its overlap over), {@link State#REVOKED} once somebody or something revoked it.
 *
 * @param owner whose tokens, or {@code null}
 * @param createdBy who made them, or {@code null}
 * @param expiringBefore expiring before this, or {@code null}
 * @param unusedSince unused since this, or {@code null}
 * @param audience working at this service (its client id), or {@code null}
 * @param states in any of these states; empty for all
 * @param sort the order
 * @since 0.1
 */
public record TokenSelection(@Nullable String owner, @Nullable String createdBy, @Nullable Instant expiringBefore,
		@Nullable Instant unusedSince, @Nullable String audience, Set<State> states, Sort sort) {

	/** The longest username or client id a filter takes. */
	private static final int MAX_NAME = 100;

	public TokenSelection {
		Assert.notNull(states, "states cannot be null");
		Assert.notNull(sort, "sort cannot be null");
		states = states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
	}

	/**
	 * The selection the request's parameters describe, or a 400 naming the parameter at
	 * fault.
	 * @param owner a username, or blank
	 * @param createdBy a username, or blank
	 * @param expiringBefore an ISO-8601 instant, or blank
	 * @param unusedSince an ISO-8601 instant, or blank
	 * @param audience a client id, or blank
	 * @param states state names, each possibly a comma-separated list
	 * @param sort a sort key, {@code -} in front for descending, or blank
	 * @return the selection
	 */
	public static TokenSelection parse(@Nullable String owner, @Nullable String createdBy,
			@Nullable String expiringBefore, @Nullable String unusedSince, @Nullable String audience,
			@Nullable Collection<String> states, @Nullable String sort) {
		return new TokenSelection(name("owner", owner), name("createdBy", createdBy),
				instant("expiringBefore", expiringBefore), instant("unusedSince", unusedSince),
				name("audience", audience), states(states), Sort.parse(sort));
	}

	/** Whether the owner's tokens can be in the selection at all. */
	public boolean mayHold(String username) {
		return this.owner == null || this.owner.equalsIgnoreCase(username);
	}

	/**
	 * Whether the listed token is in the selection.
	 * @param token the token as lists show it
	 * @param live whether it works at the time of the listing
	 * @return whether it matches every filter
	 */
	public boolean matches(TokenViews.Listed token, boolean live) {
		if (this.createdBy != null && !this.createdBy.equalsIgnoreCase(token.createdBy())) {
			return false;
		}
		if (this.expiringBefore != null && !token.expiresAt().isBefore(this.expiringBefore)) {
			return false;
		}
		if (this.unusedSince != null && token.lastUsedAt() != null && !token.lastUsedAt().isBefore(this.unusedSince)) {
			return false;
		}
		if (this.audience != null && token.audience() != null && !token.audience().contains(this.audience)) {
			return false;
		}
		return this.states.isEmpty() || this.states.contains(State.of(token, live));
	}

	private static @Nullable String name(String parameter, @Nullable String value) {
		String name = Text.blankToNull(value);
		if (name == null) {
			return null;
		}
		name = name.strip();
		if (name.length() > MAX_NAME || !name.chars().allMatch((c) -> c > 0x20 && c != 0x7f)) {
			throw new InvalidRequestException(parameter,
					"must be a name of at most " + MAX_NAME + " characters without spaces");
		}
		return name;
	}

	private static @Nullable Instant instant(String parameter, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(value.strip());
		}
		catch (DateTimeParseException ex) {
			throw new InvalidRequestException(parameter, "must be an ISO-8601 instant such as 2026-12-31T00:00:00Z");
		}
	}

	private static Set<State> states(@Nullable Collection<String> values) {
		Set<State> states = EnumSet.noneOf(State.class);
		if (values != null) {
			for (String value : values) {
				for (String name : (value != null) ? value.split(",", -1) : new String[0]) {
					if (!name.isBlank()) {
						states.add(State.parse(name.strip()));
					}
				}
			}
		}
		return states;
	}

	/** Where a token is in its life, as the inventory filters it. */
	public enum State {

		/** It works (a rotated token until its overlap ends). */
		LIVE("live"),

		/** It stopped working by itself: expired, or rotated and its overlap over. */
		EXPIRED("expired"),

		/** It was revoked. */
		REVOKED("revoked");

		private final String value;

		State(String value) {
			this.value = value;
		}

		/** As the API writes it. */
		public String value() {
			return this.value;
		}

		static State of(TokenViews.Listed token, boolean live) {
			if ("revoked".equals(token.status())) {
				return REVOKED;
			}
			return live ? LIVE : EXPIRED;
		}

		static State parse(String name) {
			for (State state : values()) {
				if (state.value.equals(name.toLowerCase(Locale.ROOT))) {
					return state;
				}
			}
			throw new InvalidRequestException("state",
					"must be live, expired or revoked (repeated or comma-separated)");
		}

	}

	/**
	 * The order of the inventory: by a key, ascending or descending; ties go by owner,
	 * then newest first. A token never used sorts as the oldest use.
	 *
	 * @param key what it sorts by
	 * @param descending whether the largest comes first
	 */
	public record Sort(Key key, boolean descending) {

		/** Newest first: the default. */
		public static final Sort NEWEST = new Sort(Key.CREATED_AT, true);

		public Sort {
			Assert.notNull(key, "key cannot be null");
		}

		/**
		 * The order a {@code sort} parameter names ({@code createdAt}, {@code expiresAt},
		 * {@code lastUsedAt}, {@code owner}; {@code -} in front for descending), or a
		 * 400.
		 * @param value the parameter, or blank for the default
		 * @return the order
		 */
		public static Sort parse(@Nullable String value) {
			if (value == null || value.isBlank()) {
				return NEWEST;
			}
			String name = value.strip();
			boolean descending = name.startsWith("-");
			String keyName = descending ? name.substring(1) : name;
			for (Key key : Key.values()) {
				if (key.value.equals(keyName)) {
					return new Sort(key, descending);
				}
			}
			throw new InvalidRequestException("sort",
					"must be createdAt, expiresAt, lastUsedAt or owner, with - in front for descending");
		}

		/** As the API writes it. */
		public String value() {
			return (this.descending ? "-" : "") + this.key.value;
		}

		/** The same key the other way round. */
		public Sort reversed() {
			return new Sort(this.key, !this.descending);
		}

		Comparator<TokenViews.Inventoried> comparator() {
			Comparator<TokenViews.Inventoried> byKey = this.key.comparator;
			if (this.descending) {
				byKey = byKey.reversed();
			}
			return byKey.thenComparing(TokenViews.Inventoried::owner)
				.thenComparing((TokenViews.Inventoried item) -> item.createdAt(), Comparator.reverseOrder())
				.thenComparing((TokenViews.Inventoried item) -> item.id());
		}

		/** What the inventory sorts by. */
		public enum Key {

			/** When the token was made. */
			CREATED_AT("createdAt", by((token) -> token.createdAt())),

			/** When it expires. */
			EXPIRES_AT("expiresAt", by((token) -> token.expiresAt())),

			/** When it was last used; never used sorts first. */
			LAST_USED_AT("lastUsedAt",
					Comparator.comparing((TokenViews.Inventoried token) -> token.lastUsedAt(),
							Comparator.nullsFirst(Comparator.naturalOrder()))),

			/** Its owner's name. */
			OWNER("owner", by(TokenViews.Inventoried::owner));

			private final String value;

			private final Comparator<TokenViews.Inventoried> comparator;

			Key(String value, Comparator<TokenViews.Inventoried> comparator) {
				this.value = value;
				this.comparator = comparator;
			}

			/** As the API writes it. */
			public String value() {
				return this.value;
			}

			private static <U extends Comparable<? super U>> Comparator<TokenViews.Inventoried> by(
					Function<TokenViews.Inventoried, U> key) {
				return Comparator.comparing(key);
			}

		}

	}

}
