package io.latchkey.authorization.directory;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.Account;
import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.error.ConflictException;
import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.error.NotFoundException;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.event.EventPublisher;
import io.latchkey.authorization.owner.UserDeleted;
import io.latchkey.authorization.support.Page;
import io.latchkey.authorization.support.RequestValidator;
import io.latchkey.authorization.support.Text;
import io.latchkey.core.event.EventType;
import io.latchkey.core.event.LatchkeyEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.util.Assert;

/**
 * Users: the directory whose rights every token carries. What an actor may do to a user
 * is the {@link AccessPolicy}'s decision (outranking, no escalation, no credential from a
 * bearer token, a recent password for every grant), asked inside the change so that it
 * holds under concurrent changes; the last full administrator (enabled, with a password,
 * holding every right) cannot be removed. Every change that narrows what a user may do is
 * published before it is audited, so resource services drop what they cached for that
 * user even if the audit write fails.
 */
public class UserService {

	private final Directory directory;

	private final PasswordEncoder passwordEncoder;

	private final AuditLog audit;

	private final EventPublisher events;

	private final ApplicationEventPublisher application;

	private final RequestValidator validator;

	private final LastAdministrator lastAdministrator;

	private final AccessPolicy policy;

	private final SecureRandom random = new SecureRandom();

	private Clock clock = Clock.systemUTC();

	public UserService(Directory directory, PasswordEncoder passwordEncoder, AuditLog audit, EventPublisher events,
			ApplicationEventPublisher application, RequestValidator validator, AccessPolicy policy,
			RightsCatalog catalog) {
		Assert.notNull(directory, "directory cannot be null");
		Assert.notNull(passwordEncoder, "passwordEncoder cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		Assert.notNull(events, "events cannot be null");
		Assert.notNull(application, "application cannot be null");
		Assert.notNull(validator, "validator cannot be null");
		Assert.notNull(policy, "policy cannot be null");
		Assert.notNull(catalog, "catalog cannot be null");
		this.directory = directory;
		this.passwordEncoder = passwordEncoder;
		this.audit = audit;
		this.events = events;
		this.application = application;
		this.validator = validator;
		this.policy = policy;
		this.lastAdministrator = new LastAdministrator(directory, catalog);
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * One page of the users the actor may see (those whose every right it holds), sorted
	 * by name regardless of case.
	 */
	public Page<UserView> list(Page.Request page, Actor actor) {
		this.policy.browseDirectory(actor);
		Map<String, Set<String>> groups = this.directory.groups();
		List<UserView> visible = this.directory.find(this.directory.usernames())
			.stream()
			.map((user) -> view(user, groups))
			.filter((user) -> this.policy.maySee(actor, account(user)))
			.toList();
		return new Page<>(page.slice(visible), page, visible.size());
	}

	/** A user, for an actor who outranks it. */
	public UserView get(String username, Actor actor) {
		UserView user = view(find(username));
		this.policy.readUser(actor, account(user));
		return user;
	}

	/**
	 * Every user as the policy sees it, sorted by name: one read of the groups and one
	 * pipelined read of the users, whoever asks (the caller decides what to show).
	 */
	public List<Account> accounts() {
		Map<String, Set<String>> groups = this.directory.groups();
		return this.directory.find(this.directory.usernames()).stream().map((user) -> account(user, groups)).toList();
	}

	/** A user as the policy sees it. */
	public Account account(User user) {
		return account(user, this.directory.groups());
	}

	private static Account account(User user, Map<String, Set<String>> groups) {
		return new Account(user.username(), rightsOf(user.groups(), groups), user.hasPassword(), user.enabled());
	}

	/** A listed user as the policy sees it. */
	public static Account account(UserView user) {
		return new Account(user.username(), user.rights(), !user.serviceAccount(), user.enabled());
	}

	public User find(String username) {
		return this.directory.find(username).orElseThrow(() -> new NotFoundException("No user '" + username + "'"));
	}

	/** The user's current rights, through its groups. */
	public Set<String> rightsOf(User user) {
		return rightsOf(user.groups(), this.directory.groups());
	}

	public UserView create(UserRequests.CreateUser request, Actor actor) {
		this.validator.check(request);
		Map<String, Set<String>> known = this.directory.groups();
		Set<String> requested = existingGroups(request.groups(), known);
		this.policy.createUser(actor, request.password() != null, requested, rightsOf(requested, known));
		String passwordHash = (request.password() != null) ? this.passwordEncoder.encode(request.password()) : null;
		User created = this.directory.atomically((writes) -> {
			if (this.directory.find(request.username()).isPresent()) {
				throw new ConflictException("A user named '" + request.username() + "' already exists");
			}
			Map<String, Set<String>> groups = this.directory.groups();
			Set<String> memberOf = existingGroups(request.groups(), groups);
			this.policy.createUser(actor, request.password() != null, memberOf, rightsOf(memberOf, groups));
			User user = newUser(request.username(), request.displayName(), passwordHash,
					request.enabled() == null || request.enabled(), memberOf)
				.withEmail(Text.blankToNull(request.email()));
			writes.saveUser(user, Set.of());
			return user;
		});
		this.audit.record("user.created", actor.username(), "username", created.username(), "service_account",
				Boolean.toString(!created.hasPassword()));
		return view(created);
	}

	/**
	 * Creates a user unless the name is taken; for bootstrapping, by the system itself.
	 */
	public boolean createIfAbsent(String username, String displayName, String rawPassword, Set<String> groups) {
		String passwordHash = this.passwordEncoder.encode(rawPassword);
		return this.directory.atomically((writes) -> {
			if (this.directory.find(username).isPresent()) {
				return false;
			}
			writes.saveUser(newUser(username, displayName, passwordHash, true, groups), Set.of());
			return true;
		});
	}

	private User newUser(String username, @Nullable String displayName, @Nullable String passwordHash, boolean enabled,
			Set<String> groups) {
		return new User(username, randomHex(), displayName, passwordHash, enabled, groups, this.clock.instant(),
				randomHex(), null);
	}

	public UserView update(String username, UserRequests.UpdateUser request, Actor actor) {
		this.validator.check(request);
		User current = find(username);
		this.policy.changeUser(actor, account(current), change(current, request, this.directory.groups()));
		String passwordHash = (request.password() != null) ? this.passwordEncoder.encode(request.password()) : null;
		String stamp = randomHex();
		Change change = announcingFailure(username, () -> this.directory.atomically((writes) -> {
			User before = find(username);
			Map<String, Set<String>> groups = this.directory.groups();
			this.policy.changeUser(actor, account(before, groups), change(before, request, groups));
			User after = before;
			if (request.displayName() != null) {
				after = after.withDisplayName(request.displayName().isBlank() ? null : request.displayName());
			}
			if (request.email() != null) {
				after = after.withEmail(Text.blankToNull(request.email()));
			}
			if (passwordHash != null) {
				after = after.withPassword(passwordHash, stamp);
			}
			if (request.groups() != null) {
				after = after.withGroups(existingGroups(request.groups(), groups));
			}
			if (request.enabled() != null) {
				if (!request.enabled() && actor.is(before.username())) {
					throw new ConflictException("You cannot disable your own account");
				}
				after = after.withEnabled(request.enabled());
			}
			this.lastAdministrator.requireRemains(groups, groups, Map.of(User.key(before.username()), after));
			writes.saveUser(after, before.groups());
			return new Change(before, after);
		}));
		User before = change.before();
		User after = change.after();
		if (before.enabled() && !after.enabled()) {
			this.events.publish(LatchkeyEvent.user(EventType.USER_DISABLED, after.username(), this.clock.instant()));
			this.audit.record("user.disabled", actor.username(), "username", after.username());
		}
		else if (!before.groups().equals(after.groups())) {
			this.events.publish(LatchkeyEvent.user(EventType.USER_CHANGED, after.username(), this.clock.instant()));
		}
		this.audit.record("user.updated", actor.username(), "username", after.username(), "password_changed",
				Boolean.toString(passwordHash != null), "groups", String.join(" ", after.groups()));
		return view(after);
	}

	public void delete(String username, Actor actor) {
		this.policy.deleteUser(actor, account(find(username)));
		if (actor.is(username)) {
			throw new ConflictException("You cannot delete your own account");
		}
		Deleted deleted = announcingFailure(username, () -> this.directory.atomically((writes) -> {
			User user = find(username);
			Map<String, Set<String>> groups = this.directory.groups();
			this.policy.deleteUser(actor, account(user, groups));
			Map<String, @Nullable User> gone = new HashMap<>();
			gone.put(User.key(user.username()), null);
			this.lastAdministrator.requireRemains(groups, groups, gone);
			List<String> digests = this.directory.tokenDigests(user.username());
			writes.deleteUser(user);
			return new Deleted(user, digests);
		}));
		this.application.publishEvent(new UserDeleted(deleted.user().username(), deleted.digests()));
		this.events
			.publish(LatchkeyEvent.user(EventType.USER_DELETED, deleted.user().username(), this.clock.instant()));
		this.audit.record("user.deleted", actor.username(), "username", deleted.user().username(), "tokens",
				Integer.toString(deleted.digests().size()));
	}

	/**
	 * Runs a change of {@code username}'s account; if storage fails (it may still stand
	 * on the primary, unacknowledged), announces the user as changed so that no cache
	 * keeps its old state.
	 */
	private <T> T announcingFailure(String username, Supplier<T> change) {
		return this.events
			.publishIfWriteFails(LatchkeyEvent.user(EventType.USER_CHANGED, username, this.clock.instant()), change);
	}

	public UserView view(User user) {
		return view(user, this.directory.groups());
	}

	static UserView view(User user, Map<String, Set<String>> groups) {
		return new UserView(user.username(), user.displayName(), user.enabled(), !user.hasPassword(), user.groups(),
				rightsOf(user.groups(), groups), user.createdAt(), user.email());
	}

	/**
	 * The last-administrator rule over this directory, for the other services that change
	 * it.
	 */
	LastAdministrator lastAdministrator() {
		return this.lastAdministrator;
	}

	static Set<String> rightsOf(Set<String> memberOf, Map<String, Set<String>> groups) {
		Set<String> rights = new LinkedHashSet<>();
		groups.forEach((group, groupRights) -> {
			if (memberOf.contains(group)) {
				rights.addAll(groupRights);
			}
		});
		return rights;
	}

	private static Set<String> existingGroups(@Nullable List<String> requested, Map<String, Set<String>> groups) {
		if (requested == null) {
			return Set.of();
		}
		for (String group : requested) {
			if (!groups.containsKey(group)) {
				throw new InvalidRequestException("groups", "no group named '" + group + "'");
			}
		}
		return new LinkedHashSet<>(requested);
	}

	/** What {@code request} would change of {@code user}, as the policy weighs it. */
	private static AccessPolicy.UserChange change(User user, UserRequests.UpdateUser request,
			Map<String, Set<String>> groups) {
		Set<String> changedGroupRights = null;
		if (request.groups() != null) {
			Set<String> changed = symmetricDifference(user.groups(), existingGroups(request.groups(), groups));
			changedGroupRights = changed.isEmpty() ? null : rightsOf(changed, groups);
		}
		boolean enabling = Boolean.TRUE.equals(request.enabled()) && !user.enabled();
		return new AccessPolicy.UserChange(request.password() != null, changedGroupRights, enabling);
	}

	private static Set<String> symmetricDifference(Set<String> a, Set<String> b) {
		Set<String> difference = new LinkedHashSet<>(a);
		difference.addAll(b);
		Set<String> both = new LinkedHashSet<>(a);
		both.retainAll(b);
		difference.removeAll(both);
		return difference;
	}

	private String randomHex() {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	private record Change(User before, User after) {
	}

	private record Deleted(User user, List<String> digests) {
	}

}
