package io.latchkey.authorization.web;

import java.util.List;

import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.access.Right;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.directory.GroupService;
import io.latchkey.authorization.directory.Names;
import io.latchkey.authorization.directory.UserRequests;
import io.latchkey.authorization.directory.UserService;
import io.latchkey.authorization.directory.UserView;
import io.latchkey.authorization.security.OwnSession;
import io.latchkey.authorization.support.Page;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Users, groups and the rights catalog of Latchkey's own directory. Who may do what is
 * decided by the services, whatever the door.
 */
@RestController
public class UserController {

	private final UserService users;

	private final GroupService groups;

	private final RightsCatalog catalog;

	private final OwnSession ownSession;

	public UserController(UserService users, GroupService groups, RightsCatalog catalog, OwnSession ownSession) {
		this.users = users;
		this.groups = groups;
		this.catalog = catalog;
		this.ownSession = ownSession;
	}

	@GetMapping("/api/users")
	ResponseEntity<List<UserView>> list(Actor admin, @RequestParam(required = false) Integer page,
			@RequestParam(required = false) Integer size) {
		return PageResponses.of(this.users.list(Page.Request.of(page, size), admin));
	}

	@PostMapping("/api/users")
	@ResponseStatus(HttpStatus.CREATED)
	UserView create(Actor admin, @RequestBody UserRequests.CreateUser request) {
		return this.users.create(request, admin);
	}

	@GetMapping("/api/users/{username}")
	UserView get(Actor admin, @PathVariable @Pattern(regexp = Names.USERNAME) String username) {
		return this.users.get(username, admin);
	}

	@PatchMapping("/api/users/{username}")
	UserView update(Actor admin, @PathVariable @Pattern(regexp = Names.USERNAME) String username,
			@RequestBody UserRequests.UpdateUser request, HttpServletRequest http) {
		UserView updated = this.users.update(username, request, admin);
		if (request.password() != null && admin.is(username)) {
			this.ownSession.keep(http);
		}
		return updated;
	}

	@DeleteMapping("/api/users/{username}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(Actor admin, @PathVariable @Pattern(regexp = Names.USERNAME) String username) {
		this.users.delete(username, admin);
	}

	@GetMapping("/api/groups")
	List<GroupService.GroupView> groups(Actor admin) {
		return this.groups.list(admin);
	}

	@PostMapping("/api/groups")
	@ResponseStatus(HttpStatus.CREATED)
	GroupService.GroupView createGroup(Actor admin, @RequestBody UserRequests.GroupBody body) {
		return this.groups.create(body.name(), body.rights(), admin);
	}

	@GetMapping("/api/groups/{name}")
	GroupService.GroupView group(Actor admin, @PathVariable @Pattern(regexp = Names.GROUP) String name) {
		return this.groups.get(name, admin);
	}

	@PutMapping("/api/groups/{name}")
	GroupService.GroupView updateGroup(Actor admin, @PathVariable @Pattern(regexp = Names.GROUP) String name,
			@RequestBody UserRequests.GroupBody body) {
		return this.groups.update(name, body, admin);
	}

	@DeleteMapping("/api/groups/{name}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void deleteGroup(Actor admin, @PathVariable @Pattern(regexp = Names.GROUP) String name) {
		this.groups.delete(name, admin);
	}

	@GetMapping("/api/rights")
	List<Right> rights() {
		return this.catalog.all();
	}

}
