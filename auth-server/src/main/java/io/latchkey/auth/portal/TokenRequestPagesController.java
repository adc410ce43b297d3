package io.latchkey.auth.portal;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.TreeSet;

import io.latchkey.authorization.approval.TokenApprovals;
import io.latchkey.authorization.approval.TokenRequestViews;
import io.latchkey.authorization.error.LatchkeyException;
import io.latchkey.authorization.security.Actors;
import io.latchkey.authorization.support.Page;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Configuration › Access Tokens › Token requests (with {@code tokens.manage}): the
 * pending requests of the users the approver outranks, each approved or denied with a
 * reason (required to deny). Deciding needs a recent password, like every grant. The
 * token is never shown here: its requester claims it.
 */
@Controller
class TokenRequestPagesController {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final TokenApprovals approvals;

	private final RecentSignIn recentSignIn;

	TokenRequestPagesController(TokenApprovals approvals, RecentSignIn recentSignIn) {
		this.approvals = approvals;
		this.recentSignIn = recentSignIn;
	}

	@GetMapping("/admin/tokens/requests")
	String list(Authentication me, Model model) {
		model.addAttribute("requests",
				this.approvals.decidable(Actors.of(me), null, Page.Request.first(Page.Request.MAX_SIZE))
					.items()
					.stream()
					.map(TokenRequestPagesController::row)
					.toList());
		this.recentSignIn.describe(model, me);
		return "token-requests";
	}

	@PostMapping("/admin/tokens/requests/{id}/{decision:approve|deny}")
	String decide(Authentication me, @PathVariable String id, @PathVariable String decision,
			@RequestParam(required = false) String reason, @RequestParam(required = false) String password,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		RecentSignIn.Confirmation confirmed = this.recentSignIn.confirm(me, password, decision + " a token request",
				request, response);
		if (confirmed.actor() == null) {
			redirect.addFlashAttribute("error", confirmed.problem());
			return "redirect:/admin/tokens/requests";
		}
		TokenRequestViews.Decision body = new TokenRequestViews.Decision(reason);
		try {
			TokenRequestViews.ListedRequest decided = "approve".equals(decision)
					? this.approvals.approve(id, Actors.of(confirmed.actor()), body)
					: this.approvals.deny(id, Actors.of(confirmed.actor()), body);
			redirect.addFlashAttribute("message",
					"approve".equals(decision)
							? "Request of " + decided.requester()
									+ " approved: they are told, and claim the token themselves."
							: "Request of " + decided.requester() + " denied: they are told why.");
		}
		catch (LatchkeyException ex) {
			redirect.addFlashAttribute("error", PortalProblems.describe(ex));
		}
		return "redirect:/admin/tokens/requests";
	}

	private static Row row(TokenRequestViews.ListedRequest request) {
		String requester = request.requester().equalsIgnoreCase(request.requestedBy()) ? request.requester()
				: request.requester() + " (asked by " + request.requestedBy() + ")";
		return new Row(request.id(), requester, request.description(),
				request.rights().isEmpty() ? "—" : String.join(", ", new TreeSet<>(request.rights())),
				String.join("; ", request.because()), TIME.format(request.requestedAt()),
				(request.expiresAt() != null) ? TIME.format(request.expiresAt()) : "default lifetime");
	}

	/**
	 * A pending request as the page shows it; {@code requester} names the manager too
	 * when one asked for somebody else's token.
	 */
	record Row(String id, String requester, @Nullable String description, String rights, String because,
			String requestedAt, String expiresAt) {
	}

}
