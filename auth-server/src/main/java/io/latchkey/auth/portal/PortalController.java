package io.latchkey.auth.portal;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page and the way in. */
@Controller
class PortalController {

	@GetMapping("/login")
	String login() {
		return "login";
	}

	@GetMapping({ "/", "/account" })
	String home() {
		return "redirect:/account/tokens";
	}

}
