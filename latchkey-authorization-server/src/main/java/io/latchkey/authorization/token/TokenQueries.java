package io.latchkey.authorization.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.Account;
import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.authorization.support.Page;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Reads tokens back: an owner's list, only partly visible (never a token string), how
 * many tokens users hold and how many expire soon. Who may see whose tokens is the
 * {@link AccessPolicy}'s decision.
 *
 * @since 0.1
 */
public class TokenQueries {

	private final TokenRepository tokens;

	private final OwnerDirectory owners;

	private final AccessPolicy access;

	private Clock clock = Clock.systemUTC();

	/**
	 * @param tokens where token records are stored
	 * @param owners who may own tokens
	 * @param access who may do what
	 */
	public TokenQueries(TokenRepository tokens, OwnerDirectory owners, AccessPolicy access) {
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(owners, "owners cannot be null");
		Assert.notNull(access, "access cannot be null");
		this.tokens = tokens;
		this.owners = owners;
		this.access = access;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * One page of the owner's tokens, newest first: one's own, or those of a user the
	 * actor outranks.
	 * @param owner whose tokens they are
	 * @param page which page
	 * @param actor who asks
	 * @return the page
	 */
	public Page<TokenViews.Listed> list(String owner, Page.Request page, Actor actor) {
		OwnerState user = TokenMint.owner(this.owners, owner);
		this.access.listTokens(actor, TokenMint.account(user));
		Instant now = this.clock.instant();
		List<TokenViews.Listed> all = new ArrayList<>();
		this.tokens.findByOwner(user.username()).forEach((token) -> all.add(listed(token, now, null)));
		this.tokens.findRevoked(user.username(), now)
			.forEach((revoked) -> all.add(listed(revoked.token(), now, revoked)));
		all.sort(Comparator.comparing(TokenViews.Listed::createdAt).reversed());
		return new Page<>(page.slice(all), page, all.size());
	}

	/**
	 * A token as lists show it: a live or expired record, or a revoked token's listing.
	 * @param token the token's record
	 * @param now the time
	 * @param revoked its revocation, if it was revoked
	 * @return the listing
	 */
	static TokenViews.Listed listed(PersonalAccessToken token, Instant now, @Nullable RevokedToken revoked) {
		return new TokenViews.Listed(token.id(), token.hint(), token.description(), token.scopes(), token.ceiling(),
				token.allowedIps(), token.createdAt(), token.createdBy(), token.expiresAt(), token.isExpiredAt(now),
				(revoked != null) ? "revoked" : status(token, now), token.lastUsedAt(), token.lastUsedFrom(),
				token.recentUses(), token.rotatedTo(), token.retiresAt(), token.audience(), token.jkt(),
				(revoked != null) ? revoked.revokedAt() : null, (revoked != null) ? revoked.revokedBy() : null,
				(revoked != null) ? revoked.reason().value() : null);
	}

	private static String status(PersonalAccessToken token, Instant now) {
		if (token.rotatedTo() != null) {
			return "rotated";
		}
		return token.isExpiredAt(now) ? "expired" : "active";
	}

	/**
	 * For each of these users that has any: how many of its tokens expire within
	 * {@code within} from now.
	 * @param owners the users
	 * @param within how soon
	 * @return counts by username
	 */
	public Map<String, Integer> expiringSoon(List<String> owners, Duration within) {
		Instant now = this.clock.instant();
		return this.tokens.expiringBetween(owners, now, now.plus(within));
	}

	/**
	 * How many live tokens (neither expired nor revoked) each of these users holds, for
	 * the users whose tokens the actor may list; the others are left out. One read of the
	 * users' indexes for all of them, not one per user.
	 * @param owners the users
	 * @param actor who asks
	 * @return counts by username, 0 for a user without live tokens, in the order given
	 */
	public Map<String, Integer> liveCounts(List<Account> owners, Actor actor) {
		List<String> visible = owners.stream()
			.filter((owner) -> this.access.mayListTokens(actor, owner))
			.map(Account::username)
			.toList();
		if (visible.isEmpty()) {
			return Map.of();
		}
		Map<String, Integer> live = this.tokens.liveCounts(visible, this.clock.instant());
		Map<String, Integer> counts = new LinkedHashMap<>();
		visible.forEach((owner) -> counts.put(owner, live.getOrDefault(owner, 0)));
		return counts;
	}

}
