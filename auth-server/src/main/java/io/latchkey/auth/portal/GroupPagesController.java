package io.latchkey.auth.portal;

import java.util.List;

import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.directory.GroupService;
import io.latchkey.authorization.directory.UserRequests;
import io.latchkey.authorization.error.LatchkeyException;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Configuration > User Management > Groups: list, create, rights as checkboxes, delete. */
@Controller
class GroupPagesController {

	private final GroupService groups;

	private final RightsCatalog catalog;

	GroupPagesController(GroupService groups, RightsCatalog catalog) {
		this.groups = groups;
		this.catalog = catalog;
	}

	@GetMapping("/admin/groups")
	String list(Model model) {
		return listPage(model, new GroupForm(null, List.of()), null);
	}

	@PostMapping("/admin/groups")
	String create(Actor me, @ModelAttribute GroupForm form, Model model, RedirectAttributes redirect) {
		try {
			this.groups.create(form.name(), form.rightsOrEmpty(), me);
		}
		catch (LatchkeyException ex) {
			return listPage(model, form, PortalProblems.describe(ex));
		}
		redirect.addFlashAttribute("message", "Group " + form.name() + " created.");
		return "redirect:/admin/groups/" + form.name();
	}

	@GetMapping("/admin/groups/{name}")
	String edit(@PathVariable String name, Model model) {
		GroupService.GroupView group = this.groups.get(name);
		model.addAttribute("group", group);
		model.addAttribute("rights", this.catalog.all());
		return "group";
	}

	@PostMapping("/admin/groups/{name}")
	String update(Actor me, @PathVariable String name, @ModelAttribute GroupForm form, RedirectAttributes redirect) {
		try {
			this.groups.update(name, new UserRequests.GroupBody(name, form.rightsOrEmpty()), me);
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

	private String listPage(Model model, GroupForm form, String error) {
		model.addAttribute("groups", this.groups.list());
		model.addAttribute("rights", this.catalog.all());
		model.addAttribute("form", form);
		model.addAttribute("error", error);
		return "groups";
	}

	/** The group form; rights arrive as checkbox values. */
	record GroupForm(String name, List<String> rights) {

		List<String> rightsOrEmpty() {
			return (this.rights != null) ? this.rights : List.of();
		}

	}

}
