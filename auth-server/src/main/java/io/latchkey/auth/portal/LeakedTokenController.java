package io.latchkey.auth.portal;

import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.security.Actors;
import io.latchkey.authorization.token.TokenRequests;
import io.latchkey.authorization.token.TokenRevocation;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Configuration › Access Tokens › Revoke a leaked token (with {@code tokens.manage}):
 * paste a token string, it is revoked wherever it belongs. The answer is the same whether
 * or not the token existed, and says nothing of its owner.
 */
@Controller
class LeakedTokenController {

	private final TokenRevocation tokens;

	LeakedTokenController(TokenRevocation tokens) {
		this.tokens = tokens;
	}

	@GetMapping("/admin/tokens/revoke")
	String page() {
		return "revoke-leaked";
	}

	@PostMapping("/admin/tokens/revoke")
	String revoke(Authentication me, @ModelAttribute("token") String token, RedirectAttributes redirect) {
		if (token == null || token.isBlank()) {
			redirect.addFlashAttribute("error", "Paste the full token string.");
		}
		else {
			try {
				this.tokens.revokeLeaked(new TokenRequests.Revoke(token.strip()), Actors.of(me), "portal");
				redirect.addFlashAttribute("message",
						"If this token existed, it is revoked now, wherever it belonged. Anything using it gets 401 from now on.");
			}
			catch (InvalidRequestException ex) {
				redirect.addFlashAttribute("error", PortalProblems.describe(ex));
			}
		}
		return "redirect:/admin/tokens/revoke";
	}

}
