package io.latchkey.auth.portal;

import io.latchkey.auth.portal.AccessTokensTab.GenerateForm;
import io.latchkey.auth.portal.AccessTokensTab.Tab;
import io.latchkey.authorization.directory.UserService;
import io.latchkey.authorization.security.Actors;
import io.latchkey.authorization.token.TokenRevocation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

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
 * Configuration › Users › a user › Access Tokens (with {@code tokens.manage}): generating
 * a token for that user (within the administrator's own rights), revoking one or all of
 * them.
 */
@Controller
class UserTokensController {

	private final AccessTokensTab tab;

	private final UserService users;

	private final TokenRevocation tokens;

	UserTokensController(AccessTokensTab tab, UserService users, TokenRevocation tokens) {
		this.tab = tab;
		this.users = users;
		this.tokens = tokens;
	}

	@GetMapping("/admin/users/{username}/tokens")
	String list(Authentication me, @PathVariable String username, HttpSession session, Model model) {
		return this.tab.page(tabOf(username), me, session, model, null, null);
	}

	@PostMapping("/admin/users/{username}/tokens")
	String generate(Authentication me, @PathVariable String username, @ModelAttribute GenerateForm form,
			HttpSession session, Model model, HttpServletRequest request, HttpServletResponse response,
			RedirectAttributes redirect) {
		return this.tab.generate(tabOf(username), me, form, session, model, request, response, redirect);
	}

	@PostMapping("/admin/users/{username}/tokens/{id}/rotate")
	String rotate(Authentication me, @PathVariable String username, @PathVariable String id,
			@RequestParam(required = false) String password, HttpSession session, Model model,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		return this.tab.rotate(tabOf(username), me, id, password, session, model, request, response, redirect);
	}

	@PostMapping("/admin/users/{username}/tokens/{id}/revoke")
	String revoke(Authentication me, @PathVariable String username, @PathVariable String id,
			RedirectAttributes redirect) {
		return this.tab.revoke(tabOf(username), me, id, redirect);
	}

	@PostMapping("/admin/users/{username}/tokens/revoke-all")
	String revokeAll(Authentication me, @PathVariable String username, RedirectAttributes redirect) {
		Tab tab = tabOf(username);
		int count = this.tokens.revokeAll(tab.owner(), Actors.of(me));
		redirect.addFlashAttribute("message", "Revoked all " + count + " access token(s) of " + tab.owner() + ".");
		return "redirect:" + tab.path();
	}

	private Tab tabOf(String username) {
		return Tab.admin(this.users.find(username).username());
	}

}
