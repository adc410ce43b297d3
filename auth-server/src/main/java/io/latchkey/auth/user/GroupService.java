package io.latchkey.auth.user;

import java.util.List;
import java.util.Set;

import io.latchkey.auth.system.ApiException;
import io.latchkey.auth.system.AuditLog;
import io.latchkey.auth.system.EventPublisher;
import io.latchkey.auth.system.RequestValidator;

import org.springframework.stereotype.Service;

/** Groups and their rights. A change of rights is published for every member. */
@Service
public class GroupService {

	private final DirectoryStore directory;

	private final RightsCatalog catalog;

	private final AuditLog audit;

	private final EventPublisher events;

	private final RequestValidator validator;

	public GroupService(DirectoryStore directory, RightsCatalog catalog, AuditLog audit, EventPublisher events,
			RequestValidator validator) {
		this.directory = directory;
		this.catalog = catalog;
		this.audit = audit;
		this.events = events;
		this.validator = validator;
	}

	List<GroupView> list() {
		return this.directory.groups()
			.entrySet()
			.stream()
			.map((group) -> new GroupView(group.getKey(), group.getValue()))
			.toList();
	}

	GroupView get(String name) {
		return new GroupView(name, this.directory.groupRights(name).orElseThrow(() -> notFound(name)));
	}

	public GroupView create(String name, List<String> rights, String actor) {
		this.validator.check(new UserRequests.GroupBody(name, rights));
		Set<String> valid = this.catalog.validate("rights", rights);
		if (!this.directory.createGroup(name, valid)) {
			throw ApiException.conflict("A group named '" + name + "' already exists");
		}
		this.audit.record("group.created", actor, "group", name, "rights", String.join(" ", valid));
		return new GroupView(name, valid);
	}

	GroupView update(String name, UserRequests.GroupBody body, String actor) {
		this.validator.check(body);
		if (!name.equals(body.name())) {
			throw ApiException.badField("name", "must be '" + name + "': groups cannot be renamed");
		}
		Set<String> valid = this.catalog.validate("rights", body.rights());
		if (!this.directory.updateGroup(name, valid)) {
			throw notFound(name);
		}
		this.audit.record("group.updated", actor, "group", name, "rights", String.join(" ", valid));
		this.events.groupChanged("group.changed", name, this.directory.members(name));
		return new GroupView(name, valid);
	}

	void delete(String name, String actor) {
		List<String> members = this.directory.deleteGroup(name).orElseThrow(() -> notFound(name));
		this.audit.record("group.deleted", actor, "group", name);
		this.events.groupChanged("group.deleted", name, members);
	}

	private static ApiException notFound(String name) {
		return ApiException.notFound("No group '" + name + "'");
	}

	/** A group as the API shows it. */
	record GroupView(String name, Set<String> rights) {
	}

}
