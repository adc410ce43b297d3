package io.latchkey.auth.portal;

import io.latchkey.auth.portal.AccessTokensTab.GenerateForm;
import io.latchkey.auth.portal.AccessTokensTab.Tab;
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

/** My Account › Access Tokens: everyone's own tokens. */
@Controller
class MyTokensController {

	private final AccessTokensTab tab;

	MyTokensController(AccessTokensTab tab) {
		this.tab = tab;
	}

	@GetMapping("/account/tokens")
	String list(Authentication me, HttpSession session, Model model) {
		return this.tab.page(Tab.account(me.getName()), me, session, model, null, null);
	}

	@PostMapping("/account/tokens")
	String generate(Authentication me, @ModelAttribute GenerateForm form, HttpSession session, Model model,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		return this.tab.generate(Tab.account(me.getName()), me, form, session, model, request, response, redirect);
	}

	@PostMapping("/account/tokens/{id}/rotate")
	String rotate(Authentication me, @PathVariable String id, @RequestParam(required = false) String password,
			HttpSession session, Model model, HttpServletRequest request, HttpServletResponse response,
			RedirectAttributes redirect) {
		return this.tab.rotate(Tab.account(me.getName()), me, id, password, session, model, request, response,
				redirect);
	}

	@PostMapping("/account/token-requests/{id}/claim")
	String claim(Authentication me, @PathVariable String id, @RequestParam(required = false) String password,
			HttpSession session, Model model, HttpServletRequest request, HttpServletResponse response,
			RedirectAttributes redirect) {
		return this.tab.claim(Tab.account(me.getName()), me, id, password, session, model, request, response, redirect);
	}

	@PostMapping("/account/tokens/{id}/revoke")
	String revoke(Authentication me, @PathVariable String id, RedirectAttributes redirect) {
		return this.tab.revoke(Tab.account(me.getName()), me, id, redirect);
	}

}
