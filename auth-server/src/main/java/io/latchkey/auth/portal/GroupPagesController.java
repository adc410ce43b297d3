package io.latchkey.auth.portal;

import java.util.List;

import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.directory.GroupService;
import io.latchkey.authorization.directory.UserRequests;
import io.latchkey.authorization.error.LatchkeyException;
import io.latchkey.authorization.security.Actors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Configuration > User Management > Groups: list, create, rights as checkboxes, delete.
 */
@Controller
class GroupPagesController {

	private final GroupService groups;

	private final RightsCatalog catalog;

	private final RecentSignIn recentSignIn;

	GroupPagesController(GroupService groups, RightsCatalog catalog, RecentSignIn recentSignIn) {
		this.groups = groups;
		this.catalog = catalog;
		this.recentSignIn = recentSignIn;
	}

	@GetMapping("/admin/groups")
	String list(Authentication me, Model model) {
		return listPage(model, me, new GroupForm(null, List.of(), null), null);
	}

	@PostMapping("/admin/groups")
	String create(Authentication me, @ModelAttribute GroupForm form, Model model, RedirectAttributes redirect,
			HttpServletRequest request, HttpServletResponse response) {
		RecentSignIn.Confirmation confirmed = this.recentSignIn.confirmIfGiven(me, form.currentPassword(),
				"create this group", request, response);
		if (confirmed.actor() == null) {
			return listPage(model, me, form, confirmed.problem());
		}
		try {
			this.groups.create(form.name(), form.rightsOrEmpty(), Actors.of(confirmed.actor()));
		}
		catch (LatchkeyException ex) {
			return listPage(model, confirmed.actor(), form, PortalProblems.describe(ex));
		}
		redirect.addFlashAttribute("message", "Group " + form.name() + " created.");
		return "redirect:/admin/groups/" + form.name();
	}

	@GetMapping("/admin/groups/{name}")
	String edit(Authentication me, @PathVariable String name, Model model) {
		GroupService.GroupView group = this.groups.get(name, Actors.of(me));
		model.addAttribute("group", group);
		model.addAttribute("rights", this.catalog.all());
		this.recentSignIn.describe(model, me);
		return "group";
	}

	@PostMapping("/admin/groups/{name}")
	String update(Authentication me, @PathVariable String name, @ModelAttribute GroupForm form,
			RedirectAttributes redirect, HttpServletRequest request, HttpServletResponse response) {
		RecentSignIn.Confirmation confirmed = this.recentSignIn.confirmIfGiven(me, form.currentPassword(),
				"change this group", request, response);
		if (confirmed.actor() == null) {
			redirect.addFlashAttribute("error", confirmed.problem());
			return "redirect:/admin/groups/" + name;
		}
		try {
			this.groups.update(name, new UserRequests.GroupBody(name, form.rightsOrEmpty()),
					Actors.of(confirmed.actor()));
			redirect.addFlashAttribute("message", "Saved. Tokens of the group's members carry the new rights at once.");
		}
		catch (LatchkeyException ex) {
			redirect.addFlashAttribute("error", PortalProblems.describe(ex));
		}
		return "redirect:/admin/groups/" + name;
	}

	@PostMapping("/admin/groups/{name}/delete")
	String delete(Actor me, @PathVariable String name, RedirectAttributes redirect) {
		try {
			this.groups.delete(name, me);
		}
		catch (LatchkeyException ex) {
			redirect.addFlashAttribute("error", PortalProblems.describe(ex));
			return "redirect:/admin/groups/" + name;
		}
		redirect.addFlashAttribute("message", "Group " + name + " deleted; its members left it.");
		return "redirect:/admin/groups";
	}

	private String listPage(Model model, Authentication me, GroupForm form, String error) {
		this.recentSignIn.describe(model, me);
		model.addAttribute("groups", this.groups.list(Actors.of(me)));
		model.addAttribute("rights", this.catalog.all());
		model.addAttribute("form", form);
		model.addAttribute("error", error);
		return "groups";
	}

	/** The group form; rights arrive as checkbox values. */
	record GroupForm(String name, List<String> rights, String currentPassword) {

		List<String> rightsOrEmpty() {
			return (this.rights != null) ? this.rights : List.of();
		}

	}

}
