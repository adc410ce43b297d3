package io.latchkey.authorization.token;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.latchkey.authorization.access.Account;
import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.error.NotFoundException;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.core.AddressRange;
import io.latchkey.core.TokenFormat;
import org.jspecify.annotations.Nullable;

/**
 * What issuing and rotating share: new token strings and ids, the policy's expiry rules,
 * saving a new record, the one answer that shows the string, and the owner as the policy
 * sees it.
 */
final class TokenMint {

	private final TokenRepository tokens;

	private final TokenPolicy policy;

	private final TokenFormat format;

	private final SecureRandom random = new SecureRandom();

	TokenMint(TokenRepository tokens, TokenPolicy policy) {
		this.tokens = tokens;
		this.policy = policy;
		this.format = new TokenFormat(policy.prefix());
	}

	TokenFormat format() {
		return this.format;
	}

	String newId() {
		return TokenFormat.randomBase62(this.random, 16);
	}

	/** The requested expiry within the policy, or the default lifetime from now. */
	Instant expiry(Instant now, @Nullable Instant requested) {
		if (requested == null) {
			return now.plus(this.policy.defaultLifetime());
		}
		if (!requested.isAfter(now)) {
			throw new InvalidRequestException("expiresAt", "must be in the future");
		}
		if (requested.isAfter(now.plus(this.policy.maxLifetime()))) {
			throw new InvalidRequestException("expiresAt",
					"must be at most " + this.policy.maxLifetime().toDays() + " days from now");
		}
		return requested;
	}

	/**
	 * Saves a new record, kept until it has been expired for the policy's time; false if
	 * the owner has too many.
	 */
	boolean save(PersonalAccessToken token, Instant now, int maxLive) {
		return this.tokens.save(token, Duration.between(now, token.expiresAt()).plus(this.policy.keepExpiredFor()),
				maxLive, now);
	}

	/** The allowlist in canonical CIDR form, or a refusal naming the field. */
	static List<String> allowedIps(@Nullable List<String> requested) {
		if (requested == null) {
			return List.of();
		}
		List<String> ranges = new ArrayList<>();
		for (String value : requested) {
			try {
				String range = AddressRange.parse(value).toString();
				if (!ranges.contains(range)) {
					ranges.add(range);
				}
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRequestException("allowedIps", ex.getMessage());
			}
		}
		return ranges;
	}

	/** The answer that holds the token string, the only one. */
	static TokenViews.Created created(PersonalAccessToken token, String value, @Nullable String rotatedFrom) {
		return new TokenViews.Created(token.id(), value, token.hint(), token.description(), token.scopes(),
				token.ceiling(), token.allowedIps(), token.createdAt(), token.createdBy(), token.expiresAt(),
				rotatedFrom, token.audience(), token.jkt());
	}

	/** The owner, or a refusal as not found. */
	static OwnerState owner(OwnerDirectory owners, String username) {
		return owners.ownerState(username).orElseThrow(() -> new NotFoundException("No user '" + username + "'"));
	}

	/**
	 * The owner as the access policy sees it (whether it has a password never matters for
	 * tokens).
	 */
	static Account account(OwnerState owner) {
		return new Account(owner.username(), owner.rights(), true, owner.enabled());
	}

}
