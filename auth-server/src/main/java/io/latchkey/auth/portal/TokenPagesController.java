package io.latchkey.auth.portal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.latchkey.auth.security.Actors;
import io.latchkey.auth.system.ApiException;
import io.latchkey.auth.system.Page;
import io.latchkey.auth.throttle.ThrottledException;
import io.latchkey.auth.token.TokenRequests;
import io.latchkey.auth.token.TokenService;
import io.latchkey.auth.token.TokenViews;
import io.latchkey.auth.user.UserService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.dao.DataAccessException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Access Tokens tab, under My Account for everyone and on a user's page for administrators,
 * with the seed's flow: Generate Access Token shows the full string once (on a no-store page,
 * never in a URL, never kept in the session), then only the hint is listed. Each generate form
 * carries a one-time nonce, so that reloading the result page cannot mint a second token.
 */
@Controller
class TokenPagesController {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private static final String NONCES = TokenPagesController.class.getName() + ".nonces";

	private final TokenService tokens;

	private final UserService users;

	private final RecentSignIn recentSignIn;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	TokenPagesController(TokenService tokens, UserService users, RecentSignIn recentSignIn, Clock clock) {
		this.tokens = tokens;
		this.users = users;
		this.recentSignIn = recentSignIn;
		this.clock = clock;
	}

	@GetMapping("/account/tokens")
	String myTokens(Authentication me, HttpSession session, Model model) {
		return page(Tab.account(me.getName()), me, session, model, null, null);
	}

	@PostMapping("/account/tokens")
	String generateMine(Authentication me, @ModelAttribute GenerateForm form, HttpSession session, Model model,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		return generate(Tab.account(me.getName()), me, form, session, model, request, response, redirect);
	}

	@PostMapping("/account/tokens/{id}/revoke")
	String revokeMine(Authentication me, @PathVariable String id, RedirectAttributes redirect) {
		return revoke(Tab.account(me.getName()), me, id, redirect);
	}

	@GetMapping("/admin/users/{username}/tokens")
	String tokensOf(Authentication me, @PathVariable String username, HttpSession session, Model model) {
		return page(Tab.admin(this.users.find(username).username()), me, session, model, null, null);
	}

	@PostMapping("/admin/users/{username}/tokens")
	String generateFor(Authentication me, @PathVariable String username, @ModelAttribute GenerateForm form,
			HttpSession session, Model model, HttpServletRequest request, HttpServletResponse response,
			RedirectAttributes redirect) {
		return generate(Tab.admin(this.users.find(username).username()), me, form, session, model, request, response,
				redirect);
	}

	@PostMapping("/admin/users/{username}/tokens/{id}/revoke")
	String revokeOf(Authentication me, @PathVariable String username, @PathVariable String id,
			RedirectAttributes redirect) {
		return revoke(Tab.admin(username), me, id, redirect);
	}

	@PostMapping("/admin/users/{username}/tokens/revoke-all")
	String revokeAllOf(Authentication me, @PathVariable String username, RedirectAttributes redirect) {
		int count = this.tokens.revokeAll(username, me.getName());
		redirect.addFlashAttribute("message", "Revoked all " + count + " access token(s) of " + username + ".");
		return "redirect:" + Tab.admin(username).path();
	}

	@GetMapping("/admin/tokens/revoke")
	String leakedTokenPage() {
		return "revoke-leaked";
	}

	/** The answer is the same whether or not the token existed, and says nothing of its owner. */
	@PostMapping("/admin/tokens/revoke")
	String revokeLeaked(Authentication me, @ModelAttribute("token") String token, RedirectAttributes redirect) {
		if (token == null || token.isBlank()) {
			redirect.addFlashAttribute("error", "Paste the full token string.");
		}
		else {
			this.tokens.revokeByValue(token.strip(), me.getName(), "portal");
			redirect.addFlashAttribute("message",
					"If this token existed, it is revoked now, wherever it belonged. Anything using it gets 401 from now on.");
		}
		return "redirect:/admin/tokens/revoke";
	}

	private String generate(Tab tab, Authentication me, GenerateForm form, HttpSession session, Model model,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		if (!consumeNonce(session, form.nonce())) {
			redirect.addFlashAttribute("message",
					"That token was already generated: it is in the list below, only partly visible.");
			return "redirect:" + tab.path();
		}
		Authentication actor = me;
		if (!this.recentSignIn.isRecent(me)) {
			if (form.password() == null || form.password().isEmpty()) {
				return page(tab, me, session, model, form, "Confirm your password to generate a token.");
			}
			try {
				actor = this.recentSignIn.reauthenticate(me, form.password(), request, response);
			}
			catch (ThrottledException ex) {
				return page(tab, me, session, model, form, "Too many failed attempts. Try again in "
						+ ex.retryAfterSeconds() + " seconds.");
			}
			catch (AuthenticationException ex) {
				if (isStorageFailure(ex)) {
					throw ex;
				}
				return page(tab, me, session, model, form,
						"That password is not right. Confirm your password to generate a token.");
			}
		}
		TokenViews.Created created;
		try {
			created = this.tokens.generate(tab.owner(), Actors.of(actor),
					new TokenRequests.Generate(form.description(), expiry(form.lifetimeDays()), null));
		}
		catch (ApiException ex) {
			return page(tab, actor, session, model, form, UserPagesController.problem(ex));
		}
		response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
		response.setHeader("Pragma", "no-cache");
		model.addAttribute("created", created);
		return page(tab, actor, session, model, null, null);
	}

	private String revoke(Tab tab, Authentication me, String id, RedirectAttributes redirect) {
		try {
			this.tokens.revoke(tab.owner(), id, me.getName());
			redirect.addFlashAttribute("message", "Access token revoked. Anything using it gets 401 from now on.");
		}
		catch (ApiException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:" + tab.path();
	}

	private String page(Tab tab, Authentication me, HttpSession session, Model model, GenerateForm form,
			String generateError) {
		Lifetimes policy = Lifetimes.of(this.tokens.policy());
		String nonce = issueNonce(session);
		model.addAttribute("tab", tab);
		model.addAttribute("user", this.users.get(tab.owner()));
		model.addAttribute("rows", this.tokens.list(tab.owner(), Page.Request.first(Integer.MAX_VALUE))
			.items()
			.stream()
			.map(TokenPagesController::row)
			.toList());
		model.addAttribute("lifetimes", policy.choices());
		model.addAttribute("defaultDays", policy.defaultDays());
		model.addAttribute("form", (form != null) ? form.withoutPassword(nonce)
				: new GenerateForm(null, (int) policy.defaultDays(), null, nonce));
		model.addAttribute("generateOpen", form != null);
		model.addAttribute("generateError", generateError);
		model.addAttribute("needsPassword", !this.recentSignIn.isRecent(me));
		model.addAttribute("reauthenticateMinutes", this.recentSignIn.window().toMinutes());
		return "tokens";
	}

	private Instant expiry(Integer lifetimeDays) {
		return (lifetimeDays != null) ? this.clock.instant().plus(Duration.ofDays(lifetimeDays)) : null;
	}

	private static boolean isStorageFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessException) {
				return true;
			}
		}
		return false;
	}

	/** A new one-time nonce for a generate form; the session keeps the last few. */
	private String issueNonce(HttpSession session) {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		String nonce = HexFormat.of().formatHex(bytes);
		LinkedHashSet<String> nonces = nonces(session);
		nonces.add(nonce);
		while (nonces.size() > 20) {
			nonces.remove(nonces.iterator().next());
		}
		session.setAttribute(NONCES, nonces);
		return nonce;
	}

	/** Whether the nonce was issued and not used yet; uses it up. */
	private static boolean consumeNonce(HttpSession session, String nonce) {
		LinkedHashSet<String> nonces = nonces(session);
		boolean fresh = nonce != null && nonces.remove(nonce);
		session.setAttribute(NONCES, nonces);
		return fresh;
	}

	/** A copy of the session's nonces: Spring Session saves an attribute only when it is set again. */
	private static LinkedHashSet<String> nonces(HttpSession session) {
		LinkedHashSet<String> nonces = new LinkedHashSet<>();
		if (session.getAttribute(NONCES) instanceof Set<?> stored) {
			stored.forEach((nonce) -> nonces.add((String) nonce));
		}
		return nonces;
	}

	private static Row row(TokenViews.Listed token) {
		return new Row(token.id(), token.hint(), token.description(), TIME.format(token.createdAt()),
				token.createdBy(), TIME.format(token.expiresAt()), token.expired(),
				(token.lastUsedAt() != null) ? TIME.format(token.lastUsedAt()) : "Never", token.lastUsedFrom());
	}

	/** Which Access Tokens tab: the signed-in user's own, or a user's as an administrator. */
	record Tab(String owner, boolean admin, String path) {

		static Tab account(String me) {
			return new Tab(me, false, "/account/tokens");
		}

		static Tab admin(String username) {
			return new Tab(username, true, "/admin/users/" + username + "/tokens");
		}

	}

	/** The generate form: all optional; the password only when the sign-in is not recent. */
	record GenerateForm(String description, Integer lifetimeDays, String password, String nonce) {

		GenerateForm withoutPassword(String newNonce) {
			return new GenerateForm(this.description, this.lifetimeDays, null, newNonce);
		}

	}

	/** A token as the list shows it. */
	record Row(String id, String hint, String description, String createdAt, String createdBy, String expiresAt,
			boolean expired, String lastUsedAt, String lastUsedFrom) {
	}

	/** The lifetimes an administrator's policy allows, for the expiry choice. */
	record Lifetimes(long defaultDays, List<Long> choices) {

		static Lifetimes of(io.latchkey.auth.LatchkeyProperties.Tokens policy) {
			long max = policy.maxLifetime().toDays();
			long def = Math.min(policy.defaultLifetime().toDays(), max);
			List<Long> choices = new ArrayList<>();
			for (long days : new long[] { 1, 7, 30, 60, 90, 180, 365 }) {
				if (days <= max) {
					choices.add(days);
				}
			}
			if (!choices.contains(def)) {
				choices.add(def);
			}
			if (!choices.contains(max)) {
				choices.add(max);
			}
			choices.sort(null);
			return new Lifetimes(def, choices);
		}

	}

}
