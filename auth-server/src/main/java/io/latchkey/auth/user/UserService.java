package io.latchkey.auth.user;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.latchkey.auth.system.ApiException;
import io.latchkey.auth.system.AuditLog;
import io.latchkey.auth.system.EventPublisher;
import io.latchkey.auth.system.RequestValidator;
import io.latchkey.auth.token.TokenStore;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Users and groups: the directory whose rights every token carries. Every change that narrows
 * what a user may do is published, so resource services drop what they cached for that user.
 */
@Service
public class UserService {

	private final DirectoryStore directory;

	private final TokenStore tokens;

	private final PasswordEncoder passwordEncoder;

	private final AuditLog audit;

	private final EventPublisher events;

	private final Clock clock;

	private final RequestValidator validator;

	private final SecureRandom random = new SecureRandom();

	public UserService(DirectoryStore directory, TokenStore tokens, PasswordEncoder passwordEncoder, AuditLog audit,
			EventPublisher events, Clock clock, RequestValidator validator) {
		this.directory = directory;
		this.tokens = tokens;
		this.passwordEncoder = passwordEncoder;
		this.audit = audit;
		this.events = events;
		this.clock = clock;
		this.validator = validator;
	}

	public List<UserView> list() {
		Map<String, Set<String>> groups = this.directory.groups();
		return this.directory.findAll().stream().map((user) -> view(user, groups)).toList();
	}

	public UserView get(String username) {
		return view(find(username));
	}

	public User find(String username) {
		return this.directory.find(username).orElseThrow(() -> ApiException.notFound("No user '" + username + "'"));
	}

	UserView create(UserRequests.CreateUser request, String actor) {
		this.validator.check(request);
		User user = newUser(request.username(), request.displayName(), request.password(),
				request.enabled() == null || request.enabled(), existingGroups(request.groups()));
		if (!this.directory.create(user)) {
			throw ApiException.conflict("A user named '" + request.username() + "' already exists");
		}
		this.audit.record("user.created", actor, "username", user.username());
		return view(user);
	}

	/** Creates a user unless the name is taken; for bootstrapping. */
	public boolean createIfAbsent(String username, String displayName, String rawPassword, Set<String> groups) {
		return this.directory.create(newUser(username, displayName, rawPassword, true, groups));
	}

	private User newUser(String username, String displayName, String rawPassword, boolean enabled,
			Set<String> groups) {
		byte[] uid = new byte[16];
		this.random.nextBytes(uid);
		return new User(username, HexFormat.of().formatHex(uid), displayName, this.passwordEncoder.encode(rawPassword),
				enabled, groups, this.clock.instant());
	}

	UserView update(String username, UserRequests.UpdateUser request, String actor) {
		this.validator.check(request);
		User before = find(username);
		User after = before;
		if (request.displayName() != null) {
			after = after.withDisplayName(request.displayName());
		}
		if (request.password() != null) {
			after = after.withPasswordHash(this.passwordEncoder.encode(request.password()));
		}
		if (request.groups() != null) {
			after = after.withGroups(existingGroups(request.groups()));
		}
		if (request.enabled() != null) {
			if (!request.enabled() && username.equals(actor)) {
				throw ApiException.badField("enabled", "you cannot disable your own account");
			}
			after = after.withEnabled(request.enabled());
		}
		if (!this.directory.update(after)) {
			throw ApiException.notFound("No user '" + username + "'");
		}
		this.audit.record("user.updated", actor, "username", username);
		if (before.enabled() && !after.enabled()) {
			this.audit.record("user.disabled", actor, "username", username);
			this.events.userChanged("user.disabled", username);
		}
		else if (!before.groups().equals(after.groups())) {
			this.events.userChanged("user.changed", username);
		}
		return view(after);
	}

	void delete(String username, String actor) {
		if (username.equals(actor)) {
			throw ApiException.conflict("You cannot delete your own account");
		}
		List<String> digests = this.directory.delete(username)
			.orElseThrow(() -> ApiException.notFound("No user '" + username + "'"));
		this.tokens.deleteRecords(digests);
		this.audit.record("user.deleted", actor, "username", username, "tokens", Integer.toString(digests.size()));
		this.events.userChanged("user.deleted", username);
	}

	public UserView view(User user) {
		return view(user, this.directory.groups());
	}

	private static UserView view(User user, Map<String, Set<String>> groups) {
		Set<String> rights = new LinkedHashSet<>();
		groups.forEach((group, groupRights) -> {
			if (user.groups().contains(group)) {
				rights.addAll(groupRights);
			}
		});
		return new UserView(user.username(), user.displayName(), user.enabled(), user.groups(), rights,
				user.createdAt());
	}

	private Set<String> existingGroups(List<String> requested) {
		if (requested == null) {
			return Set.of();
		}
		Set<String> known = this.directory.groups().keySet();
		for (String group : requested) {
			if (!known.contains(group)) {
				throw ApiException.badField("groups", "no group named '" + group + "'");
			}
		}
		return new LinkedHashSet<>(requested);
	}

}
