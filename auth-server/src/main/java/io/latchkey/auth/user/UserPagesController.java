package io.latchkey.auth.user;

import java.util.List;
import java.util.Locale;

import io.latchkey.auth.system.ApiException;

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
 * Configuration > User Management > Users: the list (searchable, with status), creating a
 * user, editing one (details, enabled, groups) and deleting one. Same rules as the API: the
 * services validate, and their refusals are shown on the form.
 */
@Controller
class UserPagesController {

	private final UserService users;

	private final DirectoryStore directory;

	UserPagesController(UserService users, DirectoryStore directory) {
		this.users = users;
		this.directory = directory;
	}

	@GetMapping("/admin/users")
	String list(@RequestParam(name = "q", required = false) String query, Model model) {
		String needle = (query != null) ? query.strip().toLowerCase(Locale.ROOT) : "";
		model.addAttribute("q", needle);
		model.addAttribute("users", this.users.list()
			.stream()
			.filter((user) -> needle.isEmpty() || user.username().toLowerCase(Locale.ROOT).contains(needle)
					|| (user.displayName() != null && user.displayName().toLowerCase(Locale.ROOT).contains(needle)))
			.toList());
		return "users";
	}

	@GetMapping("/admin/users/new")
	String newUser(Model model) {
		return form(model, new UserForm(null, null, null, true, List.of()), true, null);
	}

	@PostMapping("/admin/users/new")
	String create(Authentication me, @ModelAttribute UserForm form, Model model, RedirectAttributes redirect) {
		try {
			this.users.create(new UserRequests.CreateUser(form.username(), form.displayName(), form.password(),
					form.groupsOrEmpty(), form.enabled()), me.getName());
		}
		catch (ApiException ex) {
			return form(model, form, true, problem(ex));
		}
		redirect.addFlashAttribute("message", "User " + form.username() + " created.");
		return "redirect:/admin/users/" + form.username();
	}

	@GetMapping("/admin/users/{username}")
	String edit(@PathVariable String username, Model model) {
		UserView user = this.users.get(username);
		return form(model, new UserForm(user.username(), user.displayName(), null, user.enabled(),
				List.copyOf(user.groups())), false, null);
	}

	@PostMapping("/admin/users/{username}")
	String update(Authentication me, @PathVariable String username, @ModelAttribute UserForm form, Model model,
			RedirectAttributes redirect) {
		UserForm submitted = new UserForm(username, form.displayName(), form.password(), form.enabled(),
				form.groupsOrEmpty());
		try {
			this.users.update(username, new UserRequests.UpdateUser(form.displayName(),
					(form.password() == null || form.password().isEmpty()) ? null : form.password(),
					form.groupsOrEmpty(), form.enabled()), me.getName());
		}
		catch (ApiException ex) {
			return form(model, submitted, false, problem(ex));
		}
		redirect.addFlashAttribute("message", "Saved.");
		return "redirect:/admin/users/" + username;
	}

	@PostMapping("/admin/users/{username}/delete")
	String delete(Authentication me, @PathVariable String username, RedirectAttributes redirect) {
		try {
			this.users.delete(username, me.getName());
			redirect.addFlashAttribute("message", "User " + username + " deleted, with all of its access tokens.");
			return "redirect:/admin/users";
		}
		catch (ApiException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/admin/users/" + username;
		}
	}

	private String form(Model model, UserForm form, boolean creating, String error) {
		model.addAttribute("form", form);
		model.addAttribute("creating", creating);
		model.addAttribute("allGroups", this.directory.groups().keySet());
		model.addAttribute("error", error);
		return "user";
	}

	static String problem(ApiException ex) {
		return (ex.field() != null) ? ex.field() + ": " + ex.getMessage() : ex.getMessage();
	}

	/** The user form; checkboxes arrive as {@code groups} values and Spring's {@code _enabled} marker. */
	record UserForm(String username, String displayName, String password, Boolean enabled, List<String> groups) {

		List<String> groupsOrEmpty() {
			return (this.groups != null) ? this.groups : List.of();
		}

	}

}
