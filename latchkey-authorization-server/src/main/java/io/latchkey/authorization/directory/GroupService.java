package io.latchkey.authorization.directory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.error.ConflictException;
import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.error.LatchkeyException;
import io.latchkey.authorization.error.NotFoundException;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.event.EventPublisher;
import io.latchkey.authorization.support.RequestValidator;
import io.latchkey.core.event.EventType;
import io.latchkey.core.event.LatchkeyEvent;

import org.springframework.util.Assert;

/**
 * Groups and their rights. What an actor may do to a group is the {@link AccessPolicy}'s
 * decision (holding every right the group has or gets; never through a bearer token when
 * a member has a password; a recent password to grant), asked inside the change; no
 * change may leave the directory without a full administrator. A change of rights is
 * published for every member, then audited.
 */
public class GroupService {

	private final Directory directory;

	private final UserService users;

	private final RightsCatalog catalog;

	private final AuditLog audit;

	private final EventPublisher events;

	private final RequestValidator validator;

	private final AccessPolicy policy;

	private Clock clock = Clock.systemUTC();

	public GroupService(Directory directory, UserService users, RightsCatalog catalog, AuditLog audit,
			EventPublisher events, RequestValidator validator, AccessPolicy policy) {
		Assert.notNull(directory, "directory cannot be null");
		Assert.notNull(users, "users cannot be null");
		Assert.notNull(policy, "policy cannot be null");
		this.policy = policy;
		this.directory = directory;
		this.users = users;
		this.catalog = catalog;
		this.audit = audit;
		this.events = events;
		this.validator = validator;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	public List<GroupView> list(Actor actor) {
		this.policy.browseDirectory(actor);
		return this.directory.groups()
			.entrySet()
			.stream()
			.map((group) -> new GroupView(group.getKey(), group.getValue()))
			.toList();
	}

	public GroupView get(String name, Actor actor) {
		this.policy.browseDirectory(actor);
		return new GroupView(name, this.directory.groupRights(name).orElseThrow(() -> notFound(name)));
	}

	/** Creates a group; for bootstrapping, by the system itself. */
	public boolean createIfAbsent(String name, Set<String> rights) {
		return this.directory.atomically((writes) -> {
			if (this.directory.groupRights(name).isPresent()) {
				return false;
			}
			writes.saveGroup(name, rights);
			return true;
		});
	}

	/**
	 * When nobody holds every right (the catalog grew since the administrators' group was
	 * made), gives that group the rights it lacks, so that a full administrator exists
	 * again; by the system itself, at start. Answers whether it did.
	 */
	public boolean grantMissingRights(String group) {
		Set<String> every = this.catalog.names();
		Set<String> granted = this.directory.atomically((writes) -> {
			Set<String> rights = this.directory.groupRights(group).orElse(null);
			if (rights == null || rights.containsAll(every) || this.users.lastAdministrator().count() > 0) {
				return null;
			}
			Set<String> all = new java.util.TreeSet<>(rights);
			all.addAll(every);
			writes.saveGroup(group, all);
			return all;
		});
		if (granted == null) {
			return false;
		}
		this.events.publish(LatchkeyEvent.group(EventType.GROUP_CHANGED, group,
				usernames(this.directory.members(group)), this.clock.instant()));
		this.audit.record("group.updated", "system", "group", group, "rights", String.join(" ", granted), "reason",
				"no full administrator");
		return true;
	}

	public GroupView create(String name, List<String> rights, Actor actor) {
		this.validator.check(new UserRequests.GroupBody(name, rights));
		Set<String> valid = this.catalog.validate("rights", rights);
		this.policy.createGroup(actor, valid);
		this.directory.atomically((writes) -> {
			if (this.directory.groupRights(name).isPresent()) {
				throw new ConflictException("A group named '" + name + "' already exists");
			}
			writes.saveGroup(name, valid);
			return null;
		});
		this.audit.record("group.created", actor.username(), "group", name, "rights", String.join(" ", valid));
		return new GroupView(name, valid);
	}

	public GroupView update(String name, UserRequests.GroupBody body, Actor actor) {
		this.validator.check(body);
		if (!name.equals(body.name())) {
			throw new InvalidRequestException("name", "must be '" + name + "': groups cannot be renamed");
		}
		Set<String> valid = this.catalog.validate("rights", body.rights());
		this.policy.changeGroup(actor, this.directory.groupRights(name).orElseThrow(() -> notFound(name)), valid,
				hasPasswordMember(name));
		List<String> members = announcingFailure(name, EventType.GROUP_CHANGED,
				() -> this.directory.atomically((writes) -> {
					Map<String, Set<String>> before = this.directory.groups();
					Set<String> previous = this.directory.groupRights(name).orElseThrow(() -> notFound(name));
					this.policy.changeGroup(actor, previous, valid, hasPasswordMember(name));
					Map<String, Set<String>> after = new TreeMap<>(before);
					after.put(name, valid);
					this.users.lastAdministrator().requireRemains(before, after, Map.of());
					writes.saveGroup(name, valid);
					return usernames(this.directory.members(name));
				}));
		this.events.publish(LatchkeyEvent.group(EventType.GROUP_CHANGED, name, members, this.clock.instant()));
		this.audit.record("group.updated", actor.username(), "group", name, "rights", String.join(" ", valid));
		return new GroupView(name, valid);
	}

	public void delete(String name, Actor actor) {
		this.policy.deleteGroup(actor, this.directory.groupRights(name).orElseThrow(() -> notFound(name)));
		List<String> members = announcingFailure(name, EventType.GROUP_DELETED,
				() -> this.directory.atomically((writes) -> {
					Map<String, Set<String>> before = this.directory.groups();
					Set<String> rights = this.directory.groupRights(name).orElseThrow(() -> notFound(name));
					this.policy.deleteGroup(actor, rights);
					Map<String, Set<String>> after = new TreeMap<>(before);
					after.remove(name);
					this.users.lastAdministrator().requireRemains(before, after, Map.of());
					List<User> memberUsers = this.directory.find(List.copyOf(this.directory.members(name)));
					writes.deleteGroup(name, memberUsers);
					return memberUsers.stream().map(User::username).toList();
				}));
		this.events.publish(LatchkeyEvent.group(EventType.GROUP_DELETED, name, members, this.clock.instant()));
		this.audit.record("group.deleted", actor.username(), "group", name);
	}

	/**
	 * Runs a change of group {@code name}, whose members are read first; if storage fails
	 * (the change may still stand on the primary, unacknowledged), announces those
	 * members' rights as changed so that no cache keeps their old rights.
	 */
	private List<String> announcingFailure(String name, EventType type, Supplier<List<String>> change) {
		List<String> members = usernames(this.directory.members(name));
		return this.events.publishIfWriteFails(LatchkeyEvent.group(type, name, members, this.clock.instant()), change);
	}

	private boolean hasPasswordMember(String group) {
		return this.directory.find(List.copyOf(this.directory.members(group))).stream().anyMatch(User::hasPassword);
	}

	/** The canonical usernames behind lower-case member names. */
	private List<String> usernames(Set<String> members) {
		return this.directory.find(List.copyOf(members)).stream().map(User::username).toList();
	}

	private static LatchkeyException notFound(String name) {
		return new NotFoundException("No group '" + name + "'");
	}

	/** A group as the API shows it. */
	public record GroupView(String name, Set<String> rights) {
	}

}
