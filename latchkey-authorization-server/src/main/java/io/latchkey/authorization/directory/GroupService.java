package io.latchkey.authorization.directory;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

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

import org.springframework.dao.DataAccessException;
import org.springframework.util.Assert;

/**
 * Groups and their rights. An actor may only create, change or delete a group if it holds every
 * right the group has or gets; the last group that makes somebody an administrator keeps
 * {@code users.manage}. A change of rights is published for every member, then audited.
 */
public class GroupService {

	private final Directory directory;

	private final UserService users;

	private final RightsCatalog catalog;

	private final AuditLog audit;

	private final EventPublisher events;

	private final RequestValidator validator;

	private Clock clock = Clock.systemUTC();

	public GroupService(Directory directory, UserService users, RightsCatalog catalog, AuditLog audit,
			EventPublisher events, RequestValidator validator) {
		Assert.notNull(directory, "directory cannot be null");
		Assert.notNull(users, "users cannot be null");
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

	public List<GroupView> list() {
		return this.directory.groups()
			.entrySet()
			.stream()
			.map((group) -> new GroupView(group.getKey(), group.getValue()))
			.toList();
	}

	public GroupView get(String name) {
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

	public GroupView create(String name, List<String> rights, Actor actor) {
		this.validator.check(new UserRequests.GroupBody(name, rights));
		actor.require(RightsCatalog.USERS_MANAGE);
		Set<String> valid = this.catalog.validate("rights", rights);
		actor.requireAll(valid, "You may only create groups with rights you hold");
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
		actor.require(RightsCatalog.USERS_MANAGE);
		if (!name.equals(body.name())) {
			throw new InvalidRequestException("name", "must be '" + name + "': groups cannot be renamed");
		}
		Set<String> valid = this.catalog.validate("rights", body.rights());
		List<String> members = announcingFailure(name, EventType.GROUP_CHANGED,
				() -> this.directory.atomically((writes) -> {
					Map<String, Set<String>> before = this.directory.groups();
					Set<String> previous = this.directory.groupRights(name).orElseThrow(() -> notFound(name));
					Set<String> involved = new LinkedHashSet<>(previous);
					involved.addAll(valid);
					actor.requireAll(involved, "You may only change groups whose rights, old and new, you hold");
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
		actor.require(RightsCatalog.USERS_MANAGE);
		List<String> members = announcingFailure(name, EventType.GROUP_DELETED,
				() -> this.directory.atomically((writes) -> {
					Map<String, Set<String>> before = this.directory.groups();
					Set<String> rights = this.directory.groupRights(name).orElseThrow(() -> notFound(name));
					actor.requireAll(rights, "You may only delete groups whose rights you hold");
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
	 * Runs a change of group {@code name}, whose members are read first; if storage fails (the
	 * change may still stand on the primary, unacknowledged), announces those members' rights as
	 * changed so that no cache keeps their old rights.
	 */
	private List<String> announcingFailure(String name, EventType type, Supplier<List<String>> change) {
		List<String> members = usernames(this.directory.members(name));
		try {
			return change.get();
		}
		catch (DataAccessException ex) {
			throw this.events.publishDespite(ex, LatchkeyEvent.group(type, name, members, this.clock.instant()));
		}
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
