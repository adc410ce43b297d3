package io.latchkey.authorization.access;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

import io.latchkey.authorization.error.NotAllowedException;
import io.latchkey.authorization.error.Rule;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Who may do what: every decision "may this actor do this to that", in one place. The
 * services ask it whatever the door (the API, the portal, the OAuth endpoints), before
 * anything is stored; each refusal names its {@link Rule}.
 * <ol>
 * <li>No one acts beyond their own rights: granting a right or a group needs holding it,
 * and acting on a user (reading, changing, disabling, deleting, listing, generating or
 * rotating a token for them) needs every right the user holds ({@link Rule#OUTRANK}).
 * Revoking only removes access: any {@code tokens.manage} holder may.</li>
 * <li>A token made for someone else has a ceiling: the maker's rights at creation within
 * the requested scopes ({@link #effectiveScopes}).</li>
 * <li>A bearer token never creates or extends a credential that outlives it: no
 * passwords, no password accounts, no groups or rights that reach a password account, no
 * token but its own rotation. Service accounts stay manageable by tokens.</li>
 * <li>Every grant needs a password given within {@code reauthenticate-after}.</li>
 * </ol>
 *
 * @since 0.1
 */
public final class AccessPolicy {

	/** The scope of an access token that manages a Shared Signals stream. */
	public static final String SIGNALS_SCOPE = "ssf.stream";

	private final Duration reauthenticateAfter;

	private Clock clock = Clock.systemUTC();

	/**
	 * @param reauthenticateAfter how recent a password must be for a grant
	 */
	public AccessPolicy(Duration reauthenticateAfter) {
		Assert.notNull(reauthenticateAfter, "reauthenticateAfter cannot be null");
		this.reauthenticateAfter = reauthenticateAfter;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/** How recent a password must be for a grant. */
	public Duration reauthenticateAfter() {
		return this.reauthenticateAfter;
	}

	/**
	 * Whether the actor's password is recent enough for a grant (never for a bearer
	 * token).
	 */
	public boolean isFresh(Actor actor) {
		return actor.passwordVerifiedAt() != null
				&& !this.clock.instant().isAfter(actor.passwordVerifiedAt().plus(this.reauthenticateAfter));
	}

	// Users and groups

	/** Listing users and groups, and the rights catalog. */
	public void browseDirectory(Actor actor) {
		requireRight(actor, RightsCatalog.USERS_MANAGE);
	}

	/**
	 * Whether a user appears to the actor at all: reading a user needs every right it
	 * holds.
	 */
	public boolean maySee(Actor actor, Account user) {
		return actor.holds(RightsCatalog.USERS_MANAGE) && actor.holdsAll(user.rights());
	}

	public void readUser(Actor actor, Account user) {
		requireRight(actor, RightsCatalog.USERS_MANAGE);
		requireOutranks(actor, user, "Reading a user");
	}

	/**
	 * Creating a user: with a password it is a credential (the password factor, fresh);
	 * its groups are a grant (holding their rights, fresh).
	 */
	public void createUser(Actor actor, boolean withPassword, Set<String> groups, Set<String> groupRights) {
		requireRight(actor, RightsCatalog.USERS_MANAGE);
		requireGrantable(actor, groupRights, "You may only put users into groups whose rights you hold");
		if (withPassword) {
			requireNotBearer(actor, "Creating an account with a password");
		}
		if (withPassword || !groups.isEmpty()) {
			requireFresh(actor, withPassword ? "Creating an account with a password" : "Putting a user into groups");
		}
	}

	/**
	 * Changing a user: outranking it, and for each part of the change what that part
	 * grants.
	 */
	public void changeUser(Actor actor, Account before, UserChange change) {
		requireRight(actor, RightsCatalog.USERS_MANAGE);
		requireOutranks(actor, before, "Changing a user");
		if (change.changedGroupRights() != null) {
			requireGrantable(actor, change.changedGroupRights(),
					"You may only put users into (or take them out of) groups whose rights you hold");
		}
		if (change.password()) {
			requireNotBearer(actor, "Setting a password");
		}
		if (before.hasPassword() && change.changedGroupRights() != null) {
			requireNotBearer(actor, "Changing the groups of an account with a password");
		}
		if (before.hasPassword() && change.enabling()) {
			requireNotBearer(actor, "Enabling an account with a password");
		}
		if (change.password() || change.changedGroupRights() != null || change.enabling()) {
			requireFresh(actor, change.password() ? "Setting a password" : "Changing groups or enabling a user");
		}
	}

	public void deleteUser(Actor actor, Account user) {
		requireRight(actor, RightsCatalog.USERS_MANAGE);
		requireOutranks(actor, user, "Deleting a user");
	}

	public void createGroup(Actor actor, Set<String> rights) {
		requireRight(actor, RightsCatalog.USERS_MANAGE);
		requireGrantable(actor, rights, "You may only create groups with rights you hold");
		if (!rights.isEmpty()) {
			requireFresh(actor, "Creating a group with rights");
		}
	}

	/**
	 * Changing a group's rights: holding every right involved, old and new; never through
	 * a bearer token when a member has a password.
	 */
	public void changeGroup(Actor actor, Set<String> before, Set<String> after, boolean passwordMembers) {
		requireRight(actor, RightsCatalog.USERS_MANAGE);
		Set<String> involved = new LinkedHashSet<>(before);
		involved.addAll(after);
		requireGrantable(actor, involved, "You may only change groups whose rights, old and new, you hold");
		if (!before.equals(after)) {
			if (passwordMembers) {
				requireNotBearer(actor, "Changing the rights of a group with a member who has a password");
			}
			requireFresh(actor, "Changing a group's rights");
		}
	}

	public void deleteGroup(Actor actor, Set<String> rights) {
		requireRight(actor, RightsCatalog.USERS_MANAGE);
		requireGrantable(actor, rights, "You may only delete groups whose rights you hold");
	}

	// Tokens

	/**
	 * A user's tokens: one's own, or with {@code tokens.manage} those of a user one
	 * outranks.
	 */
	public void listTokens(Actor actor, Account owner) {
		if (!actor.is(owner.username())) {
			requireRight(actor, RightsCatalog.TOKENS_MANAGE);
			requireOutranks(actor, owner, "Listing a user's tokens");
		}
	}

	/**
	 * Whether the actor may list the owner's tokens, or learn how many it holds: the
	 * answer of {@link #listTokens} without the refusal.
	 */
	public boolean mayListTokens(Actor actor, Account owner) {
		return actor.is(owner.username())
				|| (actor.holds(RightsCatalog.TOKENS_MANAGE) && actor.holdsAll(owner.rights()));
	}

	/**
	 * The credentials inventory: with {@code tokens.manage}, the tokens of every user one
	 * may list ({@link #mayListTokens}); users who outrank the actor are left out of it,
	 * never named.
	 */
	public void browseTokens(Actor actor) {
		requireRight(actor, RightsCatalog.TOKENS_MANAGE);
	}

	/**
	 * Generating a token: with a recent password, never a bearer token; for someone else
	 * with {@code tokens.manage}, outranking them. Answers the token's ceiling: the
	 * maker's rights within the requested scopes for somebody else's token, {@code null}
	 * (none) for one's own.
	 */
	public @Nullable Set<String> generateToken(Actor actor, Account owner, Set<String> scopes) {
		requireMinting(actor, owner, "Generating a token");
		if (actor.is(owner.username())) {
			return null;
		}
		Set<String> ceiling = new TreeSet<>(actor.rights());
		if (!scopes.isEmpty()) {
			ceiling.retainAll(withoutSelfScope(scopes));
		}
		return ceiling;
	}

	/**
	 * Rotating a token by id, like generating one; the successor keeps the old ceiling,
	 * within the rotating actor's rights when somebody else rotates it.
	 */
	public @Nullable Set<String> rotateToken(Actor actor, Account owner, @Nullable Set<String> ceiling) {
		requireMinting(actor, owner, "Rotating a token");
		if (actor.is(owner.username())) {
			return ceiling;
		}
		Set<String> within = new TreeSet<>(actor.rights());
		if (ceiling != null) {
			within.retainAll(ceiling);
		}
		return within;
	}

	/**
	 * Revoking one's own tokens, or anyone's with {@code tokens.manage}: it only removes
	 * access.
	 */
	public void revokeTokens(Actor actor, String owner) {
		if (!actor.is(owner)) {
			requireRight(actor, RightsCatalog.TOKENS_MANAGE);
		}
	}

	/**
	 * Approving or denying a token request: with {@code tokens.manage}, outranking both
	 * the token's owner and whoever asked for it (the owner, or a manager asking for
	 * somebody else's token), being neither of them (a second person decides), and like
	 * every grant with a recent password, never a bearer token.
	 * @param actor the approver
	 * @param owner whose token it would be
	 * @param requestedBy who asked for it: the owner, or a manager
	 */
	public void decideTokenRequest(Actor actor, Account owner, Account requestedBy) {
		requireRight(actor, RightsCatalog.TOKENS_MANAGE);
		if (actor.is(owner.username()) || actor.is(requestedBy.username())) {
			throw new NotAllowedException(Rule.OWN_REQUEST,
					actor.is(requestedBy.username())
							? "Nobody approves or denies a token request they made: another approver decides it"
							: "Nobody approves or denies a request for their own token: another approver decides it");
		}
		requireOutranks(actor, owner, "Deciding a token request");
		requireOutranks(actor, requestedBy, "Deciding a token request somebody made");
		requireNotBearer(actor, "Approving a token request");
		requireFresh(actor, "Approving a token request");
	}

	/**
	 * Whether the actor may decide a token request: the answer of
	 * {@link #decideTokenRequest} without the refusal and without the freshness of the
	 * password (the pending requests an approver is shown, and told of).
	 * @param actor the approver
	 * @param owner whose token it would be
	 * @param requestedBy who asked for it: the owner, or a manager
	 */
	public boolean mayDecideTokenRequest(Actor actor, Account owner, Account requestedBy) {
		return actor.holds(RightsCatalog.TOKENS_MANAGE) && !actor.is(owner.username())
				&& !actor.is(requestedBy.username()) && actor.holdsAll(owner.rights())
				&& actor.holdsAll(requestedBy.rights());
	}

	/** Revoking a leaked token given its string, wherever it belongs. */
	public void revokeLeaked(Actor actor) {
		requireRight(actor, RightsCatalog.TOKENS_MANAGE);
	}

	/**
	 * What a token may do now: its owner's current rights, within its narrowing if it has
	 * one and within its ceiling if somebody else made it; a narrowing that names
	 * {@link RightsCatalog#SELF_SCOPE} keeps it.
	 */
	public static Set<String> effectiveScopes(Set<String> ownerRights, Set<String> narrowing,
			@Nullable Set<String> ceiling) {
		Set<String> scopes = new TreeSet<>(ownerRights);
		if (!narrowing.isEmpty()) {
			scopes.retainAll(narrowing);
		}
		if (ceiling != null) {
			scopes.retainAll(ceiling);
		}
		if (narrowing.contains(RightsCatalog.SELF_SCOPE)) {
			scopes.add(RightsCatalog.SELF_SCOPE);
		}
		return scopes;
	}

	/**
	 * The scopes of a JWT a client gets for a token (RFC 8693): the token's current
	 * scopes, within the client's registered scopes where it has any, narrowed to the
	 * requested ones; empty when a requested scope lies beyond them.
	 */
	public static @Nullable Set<String> exchangeScopes(Set<String> tokenScopes, Set<String> clientScopes,
			Set<String> requested) {
		Set<String> allowed = new TreeSet<>(tokenScopes);
		if (!clientScopes.isEmpty()) {
			allowed.retainAll(clientScopes);
		}
		if (requested.isEmpty()) {
			return allowed;
		}
		return allowed.containsAll(requested) ? new TreeSet<>(requested) : null;
	}

	private void requireMinting(Actor actor, Account owner, String what) {
		requireNotBearer(actor, what);
		requireFresh(actor, what);
		if (!actor.is(owner.username())) {
			requireRight(actor, RightsCatalog.TOKENS_MANAGE);
			requireOutranks(actor, owner, what + " for somebody else");
		}
	}

	private static void requireRight(Actor actor, String right) {
		if (!actor.holds(right)) {
			throw new NotAllowedException(Rule.RIGHT_REQUIRED, "This needs the right '" + right + "'");
		}
	}

	private static void requireOutranks(Actor actor, Account user, String what) {
		if (!actor.holdsAll(user.rights())) {
			throw new NotAllowedException(Rule.OUTRANK, what + " needs every right that user holds; rights you do "
					+ "not hold: " + String.join(", ", missing(actor, user.rights())));
		}
	}

	private static void requireGrantable(Actor actor, Set<String> rights, String why) {
		if (!actor.holdsAll(rights)) {
			throw new NotAllowedException(Rule.NO_ESCALATION,
					why + "; rights you do not hold: " + String.join(", ", missing(actor, rights)));
		}
	}

	private static void requireNotBearer(Actor actor, String what) {
		if (actor.bearer()) {
			throw new NotAllowedException(Rule.TOKEN_NEVER_EXTENDS, what + " requires password authentication "
					+ "(HTTP Basic or the portal), never a bearer token: a token never creates or extends a credential");
		}
	}

	/**
	 * Whether a registered client may manage its Shared Signals stream: it is one of the
	 * receivers the administrator allowed, and its access token carries the scope
	 * {@value #SIGNALS_SCOPE}.
	 * @param clientId the client the access token was issued to
	 * @param scopes the access token's scopes
	 * @param allowedClients {@code latchkey.signals.allowed-clients}
	 */
	public boolean mayManageSignalStream(String clientId, Collection<String> scopes, Set<String> allowedClients) {
		return allowedClients.contains(clientId) && scopes.contains(SIGNALS_SCOPE);
	}

	/**
	 * Whether a Shared Signals receiver hears of a token: only a service the token is
	 * meant for (any service, for a token without an audience). Whoever else would only
	 * learn that the token exists.
	 * @param receiver the receiver's client id
	 * @param audience the token's audience ({@code null}: any service)
	 */
	public boolean mayHearOfToken(String receiver, @Nullable Set<String> audience) {
		return audience == null || audience.contains(receiver);
	}

	private void requireFresh(Actor actor, String what) {
		if (actor.passwordAuthenticated() && !isFresh(actor)) {
			throw new NotAllowedException(Rule.FRESH_PASSWORD, what + " needs a password given within the last "
					+ this.reauthenticateAfter.toMinutes() + " minutes: confirm your password, or use HTTP Basic");
		}
	}

	private static Set<String> missing(Actor actor, Set<String> rights) {
		Set<String> missing = new TreeSet<>(rights);
		missing.removeAll(actor.rights());
		return missing;
	}

	private static Set<String> withoutSelfScope(Set<String> scopes) {
		Set<String> rights = new LinkedHashSet<>(scopes);
		rights.remove(RightsCatalog.SELF_SCOPE);
		return rights;
	}

	/**
	 * What a change of a user touches: whether it sets a password, the rights of the
	 * groups it adds or removes ({@code null} when its groups stay), and whether it
	 * enables the user.
	 *
	 * @param password whether a password is set
	 * @param changedGroupRights the rights of the groups added or removed, or
	 * {@code null}
	 * @param enabling whether a disabled user is enabled
	 */
	public record UserChange(boolean password, @Nullable Set<String> changedGroupRights, boolean enabling) {
	}

}
