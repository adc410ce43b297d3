package io.latchkey.auth.portal;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.directory.Directory;
import io.latchkey.authorization.directory.UserRequests;
import io.latchkey.authorization.directory.UserService;
import io.latchkey.authorization.directory.UserView;
import io.latchkey.authorization.error.LatchkeyException;
import io.latchkey.authorization.security.Actors;
import io.latchkey.authorization.security.OwnSession;
import io.latchkey.authorization.support.Page;
import io.latchkey.authorization.token.TokenQueries;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Configuration > User Management > Users: the list (searchable, paged, with status and,
 * for a viewer who may list their tokens, each user's number of live tokens), creating a
 * user (without a password: a service account), editing one (details, enabled, groups)
 * and deleting one. Same rules as the API: the services validate and decide, and their
 * refusals are shown on the form.
 */
@Controller
class UserPagesController {

	private static final int PAGE_SIZE = 50;

	/**
	 * An administrator's users list marks users with tokens expiring within this many
	 * days.
	 */
	private static final int EXPIRING_DAYS = 7;

	private final UserService users;

	private final Directory directory;

	private final OwnSession ownSession;

	private final TokenQueries tokens;

	private final RecentSignIn recentSignIn;

	UserPagesController(UserService users, Directory directory, OwnSession ownSession, TokenQueries tokens,
			RecentSignIn recentSignIn) {
		this.users = users;
		this.directory = directory;
		this.ownSession = ownSession;
		this.tokens = tokens;
		this.recentSignIn = recentSignIn;
	}

	@GetMapping("/admin/users")
	String list(Actor me, @RequestParam(name = "q", required = false) String query,
			@RequestParam(name = "page", required = false) Integer page, Model model) {
		String needle = (query != null) ? query.strip().toLowerCase(Locale.ROOT) : "";
		List<UserView> matching = this.users.list(new Page.Request(1, Integer.MAX_VALUE), me)
			.items()
			.stream()
			.filter((user) -> needle.isEmpty() || user.username().toLowerCase(Locale.ROOT).contains(needle)
					|| (user.displayName() != null && user.displayName().toLowerCase(Locale.ROOT).contains(needle)))
			.toList();
		Page.Request request = new Page.Request((page != null && page > 0) ? page : 1, PAGE_SIZE);
		Page<UserView> shown = new Page<>(request.slice(matching), request, matching.size());
		model.addAttribute("q", needle);
		model.addAttribute("users", shown.items());
		Map<String, Integer> live = this.tokens.liveCounts(shown.items().stream().map(UserService::account).toList(),
				me);
		List<String> holders = live.entrySet()
			.stream()
			.filter((count) -> count.getValue() > 0)
			.map(Map.Entry::getKey)
			.toList();
		model.addAttribute("live", live);
		model.addAttribute("expiring",
				holders.isEmpty() ? Map.of() : this.tokens.expiringSoon(holders, Duration.ofDays(EXPIRING_DAYS)));
		model.addAttribute("expiringDays", EXPIRING_DAYS);
		model.addAttribute("page", request.page());
		model.addAttribute("lastPage", shown.lastPage());
		return "users";
	}

	@GetMapping("/admin/users/new")
	String newUser(Authentication me, Model model) {
		return form(model, me, new UserForm(null, null, null, true, List.of(), null, null), true, false, null);
	}

	@PostMapping("/admin/users/new")
	String create(Authentication me, @ModelAttribute UserForm form, Model model, RedirectAttributes redirect,
			HttpServletRequest request, HttpServletResponse response) {
		RecentSignIn.Confirmation confirmed = this.recentSignIn.confirmIfGiven(me, form.currentPassword(),
				"create this user", request, response);
		if (confirmed.actor() == null) {
			return form(model, me, form, true, false, confirmed.problem());
		}
		try {
			this.users.create(new UserRequests.CreateUser(form.username(), form.displayName(), form.passwordOrNull(),
					form.groupsOrEmpty(), form.enabled(), form.email()), Actors.of(confirmed.actor()));
		}
		catch (LatchkeyException ex) {
			return form(model, confirmed.actor(), form, true, false, PortalProblems.describe(ex));
		}
		redirect.addFlashAttribute("message", "User " + form.username() + " created.");
		return "redirect:/admin/users/" + form.username();
	}

	@GetMapping("/admin/users/{username}")
	String edit(Authentication me, @PathVariable String username, Model model) {
		UserView user = this.users.get(username, Actors.of(me));
		return form(model, me, new UserForm(user.username(), user.displayName(), null, user.enabled(),
				List.copyOf(user.groups()), user.email(), null), false, user.serviceAccount(), null);
	}

	@PostMapping("/admin/users/{username}")
	String update(Authentication me, @PathVariable String username, @ModelAttribute UserForm form, Model model,
			RedirectAttributes redirect, HttpServletRequest request, HttpServletResponse response) {
		UserView current = this.users.get(username, Actors.of(me));
		UserForm submitted = new UserForm(current.username(), form.displayName(), null, form.enabled(),
				form.groupsOrEmpty(), form.email(), null);
		RecentSignIn.Confirmation confirmed = this.recentSignIn.confirmIfGiven(me, form.currentPassword(),
				"change this user", request, response);
		if (confirmed.actor() == null) {
			return form(model, me, submitted, false, current.serviceAccount(), confirmed.problem());
		}
		Actor actor = Actors.of(confirmed.actor());
		try {
			this.users.update(username, new UserRequests.UpdateUser(form.displayName(), form.passwordOrNull(),
					form.groupsOrEmpty(), form.enabled(), (form.email() != null) ? form.email() : ""), actor);
		}
		catch (LatchkeyException ex) {
			return form(model, confirmed.actor(), submitted, false, current.serviceAccount(),
					PortalProblems.describe(ex));
		}
		if (form.passwordOrNull() != null && actor.is(username)) {
			this.ownSession.keep(request);
		}
		redirect.addFlashAttribute("message", "Saved.");
		return "redirect:/admin/users/" + current.username();
	}

	@PostMapping("/admin/users/{username}/delete")
	String delete(Actor me, @PathVariable String username, RedirectAttributes redirect) {
		try {
			this.users.delete(username, me);
			redirect.addFlashAttribute("message", "User " + username + " deleted, with all of its access tokens.");
			return "redirect:/admin/users";
		}
		catch (LatchkeyException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/admin/users/" + username;
		}
	}

	/**
	 * The actor of a change: the session as it is, or renewed by the password confirmed
	 * on the form when the sign-in is not recent (the access policy decides whether the
	 * change needs it).
	 */
	private String form(Model model, Authentication me, UserForm form, boolean creating, boolean serviceAccount,
			String error) {
		this.recentSignIn.describe(model, me);
		model.addAttribute("form", form);
		model.addAttribute("creating", creating);
		model.addAttribute("serviceAccount", serviceAccount);
		model.addAttribute("allGroups", this.directory.groups().keySet());
		model.addAttribute("error", error);
		return "user";
	}

	/**
	 * The user form; checkboxes arrive as {@code groups} values and Spring's
	 * {@code _enabled} marker.
	 */
	record UserForm(String username, String displayName, String password, Boolean enabled, List<String> groups,
			String email, String currentPassword) {

		List<String> groupsOrEmpty() {
			return (this.groups != null) ? this.groups : List.of();
		}

		String passwordOrNull() {
			return (this.password == null || this.password.isEmpty()) ? null : this.password;
		}

	}

}
