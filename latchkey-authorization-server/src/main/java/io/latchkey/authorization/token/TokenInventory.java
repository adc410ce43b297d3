package io.latchkey.authorization.token;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.Account;
import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.error.ConflictException;
import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.support.Page;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The credentials inventory (GitLab's, for administrators): every token of every user the
 * actor outranks, filtered and sorted by a {@link TokenSelection}, in pages, as a whole
 * for an export, and revoked as a selection. Users who outrank the actor are left out of
 * every answer, never refused: a refusal would reveal them. Revoking a selection revokes
 * exactly its live tokens, each through {@link TokenRevocation} (so that what they were
 * rotated into goes too), and nothing at all when the selection no longer holds the
 * number of live tokens the caller saw.
 * <p>
 * Cost: every call reads the directory (one round trip for the names, one pipelined for
 * the users) and, for each user the actor may see, its token index, its token records
 * (one pipelined round trip) and its revoked tokens: three round trips per user (some
 * 9,000 for 3,000 users, on the order of a second on a local Redis: an estimate). Nothing
 * is cached: the inventory is for administrators, not for hot paths.
 *
 * @since 0.1
 */
public class TokenInventory {

	/** The most tokens one export holds; the rest of the selection is left out. */
	public static final int EXPORT_LIMIT = 10_000;

	private final TokenRepository tokens;

	private final Supplier<List<Account>> accounts;

	private final AccessPolicy access;

	private final TokenRevocation revocation;

	private final AuditLog audit;

	private final ResourceServices services;

	private Clock clock = Clock.systemUTC();

	/**
	 * @param tokens where token records are stored
	 * @param accounts every user as the policy sees it (the directory)
	 * @param access who may do what
	 * @param revocation revokes tokens
	 * @param audit where selection revocations are recorded
	 * @param services the services tokens may work at (an {@code audience} filter names
	 * one)
	 */
	public TokenInventory(TokenRepository tokens, Supplier<List<Account>> accounts, AccessPolicy access,
			TokenRevocation revocation, AuditLog audit, ResourceServices services) {
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(accounts, "accounts cannot be null");
		Assert.notNull(access, "access cannot be null");
		Assert.notNull(revocation, "revocation cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		Assert.notNull(services, "services cannot be null");
		this.tokens = tokens;
		this.accounts = accounts;
		this.access = access;
		this.revocation = revocation;
		this.audit = audit;
		this.services = services;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * One page of the selection.
	 * @param selection which tokens, in which order
	 * @param page which page
	 * @param actor who asks; needs {@code tokens.manage}
	 * @return the page, its total the size of the whole selection
	 */
	public Page<TokenViews.Inventoried> list(TokenSelection selection, Page.Request page, Actor actor) {
		List<TokenViews.Inventoried> all = select(selection, actor).stream().map(Entry::view).toList();
		return new Page<>(page.slice(all), page, all.size());
	}

	/**
	 * One page of the selection and how many live tokens it holds, from one read (what
	 * the portal's page shows).
	 * @param selection which tokens, in which order
	 * @param page which page
	 * @param actor who asks; needs {@code tokens.manage}
	 * @return the page and the live count
	 */
	public Overview overview(TokenSelection selection, Page.Request page, Actor actor) {
		List<Entry> selected = select(selection, actor);
		List<TokenViews.Inventoried> all = selected.stream().map(Entry::view).toList();
		return new Overview(new Page<>(page.slice(all), page, all.size()), live(selected).size());
	}

	/**
	 * The whole selection, up to {@link #EXPORT_LIMIT} tokens.
	 * @param selection which tokens, in which order
	 * @param actor who asks; needs {@code tokens.manage}
	 * @return the tokens, and how many the selection holds
	 */
	public Export export(TokenSelection selection, Actor actor) {
		List<Entry> all = select(selection, actor);
		List<TokenViews.Inventoried> rows = all.stream().limit(EXPORT_LIMIT).map(Entry::view).toList();
		return new Export(rows, all.size());
	}

	/**
	 * Revokes the live tokens of the selection, if there are still {@code expectedCount}
	 * of them; otherwise revokes nothing (the selection changed since the caller counted
	 * it). Expired and revoked tokens in the selection stay as they are and are not
	 * counted.
	 * @param selection which tokens
	 * @param expectedCount how many live tokens the caller saw in it
	 * @param actor who asks; needs {@code tokens.manage}
	 * @param via the door it came through, for the audit records
	 * @return how many tokens were revoked
	 */
	public int revoke(TokenSelection selection, int expectedCount, Actor actor, String via) {
		List<Entry> live = live(select(selection, actor));
		if (live.size() != expectedCount) {
			throw new ConflictException("The selection holds " + live.size() + " live token(s), not " + expectedCount
					+ ": it changed since it was counted. Nothing was revoked; count it again.");
		}
		// newest first: a successor goes before the token rotated into it, so that each
		// token is revoked (and audited) once
		List<Entry> order = new ArrayList<>(live);
		order.sort(Comparator.comparing((Entry entry) -> entry.record().createdAt()).reversed());
		for (Entry entry : order) {
			PersonalAccessToken token = entry.record();
			if (this.tokens.findDigest(token.owner(), token.id()).isPresent()) {
				this.revocation.revoke(token, actor.username(), via, RevocationReason.REQUESTED);
			}
		}
		this.audit.record("token.revoked_selection", actor.username(), "count", Integer.toString(live.size()), "via",
				via, "selection", describe(selection));
		return live.size();
	}

	private List<Entry> select(TokenSelection selection, Actor actor) {
		this.access.browseTokens(actor);
		String audience = selection.audience();
		if (audience != null && !ResourceServices.MANAGEMENT_API.equals(audience)
				&& this.services.find(audience).isEmpty()) {
			throw new InvalidRequestException("audience",
					"must be the client id of a resource service, or " + ResourceServices.MANAGEMENT_API);
		}
		Instant now = this.clock.instant();
		List<Entry> selected = new ArrayList<>();
		for (Account owner : this.accounts.get()) {
			if (!selection.mayHold(owner.username()) || !this.access.mayListTokens(actor, owner)) {
				continue;
			}
			for (PersonalAccessToken token : this.tokens.findByOwner(owner.username())) {
				add(selected, selection, owner, token, TokenQueries.listed(token, now, null), token.isLiveAt(now));
			}
			for (RevokedToken revoked : this.tokens.findRevoked(owner.username(), now)) {
				add(selected, selection, owner, null, TokenQueries.listed(revoked.token(), now, revoked), false);
			}
		}
		Comparator<TokenViews.Inventoried> order = selection.sort().comparator();
		selected.sort((a, b) -> order.compare(a.view(), b.view()));
		return selected;
	}

	private static void add(List<Entry> selected, TokenSelection selection, Account owner,
			@Nullable PersonalAccessToken record, TokenViews.Listed listed, boolean live) {
		if (selection.matches(listed, live)) {
			selected.add(new Entry(TokenViews.Inventoried.of(owner.username(), listed), live ? record : null));
		}
	}

	private static List<Entry> live(List<Entry> entries) {
		return entries.stream().filter((entry) -> entry.record() != null).toList();
	}

	private static String describe(TokenSelection selection) {
		List<String> parts = new ArrayList<>();
		part(parts, "owner", selection.owner());
		part(parts, "createdBy", selection.createdBy());
		part(parts, "expiringBefore", selection.expiringBefore());
		part(parts, "unusedSince", selection.unusedSince());
		part(parts, "audience", selection.audience());
		if (!selection.states().isEmpty()) {
			parts.add("state="
					+ String.join(",", selection.states().stream().sorted().map(TokenSelection.State::value).toList()));
		}
		return parts.isEmpty() ? "all" : String.join(" ", parts);
	}

	private static void part(List<String> parts, String name, @Nullable Object value) {
		if (value != null) {
			parts.add(name + "=" + value);
		}
	}

	/**
	 * An export of the inventory.
	 *
	 * @param rows the tokens, at most {@link #EXPORT_LIMIT}
	 * @param total how many the selection holds
	 */
	public record Export(List<TokenViews.Inventoried> rows, int total) {

		public Export {
			rows = List.copyOf(rows);
		}

		/** Whether tokens of the selection were left out. */
		public boolean truncated() {
			return this.total > this.rows.size();
		}

	}

	/**
	 * A page of the inventory with the number of live tokens in the whole selection.
	 *
	 * @param page the page
	 * @param live how many live tokens the selection holds
	 */
	public record Overview(Page<TokenViews.Inventoried> page, int live) {
	}

	/** A selected token: its view, and its record while it is live. */
	private record Entry(TokenViews.Inventoried view, @Nullable PersonalAccessToken record) {
	}

}
