package io.latchkey.auth.portal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.latchkey.authorization.directory.UserService;
import io.latchkey.authorization.error.LatchkeyException;
import io.latchkey.authorization.security.Actors;
import io.latchkey.authorization.support.Page;
import io.latchkey.authorization.throttle.ThrottledException;
import io.latchkey.authorization.token.TokenRequests;
import io.latchkey.authorization.token.TokenService;
import io.latchkey.authorization.token.TokenViews;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.dao.DataAccessException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Access Tokens tab, whoever's tokens it shows (under My Account, or on a user's page), with
 * the seed's flow: Generate Access Token shows the full string once (on a no-store page, never
 * in a URL, never kept in the session), then only the hint is listed. Generating asks for the
 * password again when it was given too long ago, and confirming it renews the session's factor.
 */
@Component
class AccessTokensTab {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final TokenService tokens;

	private final UserService users;

	private final RecentSignIn recentSignIn;

	private final FormNonces nonces;

	private final Clock clock;

	AccessTokensTab(TokenService tokens, UserService users, RecentSignIn recentSignIn, FormNonces nonces,
			Clock clock) {
		this.tokens = tokens;
		this.users = users;
		this.recentSignIn = recentSignIn;
		this.nonces = nonces;
		this.clock = clock;
	}

	String page(Tab tab, Authentication me, HttpSession session, Model model, GenerateForm form,
			String generateError) {
		Lifetimes policy = Lifetimes.of(this.tokens.policy());
		String nonce = this.nonces.issue(session);
		model.addAttribute("tab", tab);
		model.addAttribute("user", this.users.get(tab.owner()));
		model.addAttribute("rows", this.tokens.list(tab.owner(), Page.Request.first(Integer.MAX_VALUE))
			.items()
			.stream()
			.map(AccessTokensTab::row)
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

	String generate(Tab tab, Authentication me, GenerateForm form, HttpSession session, Model model,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		if (!this.nonces.consume(session, form.nonce())) {
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
				return page(tab, me, session, model, form,
						"Too many failed attempts. Try again in " + ex.retryAfterSeconds() + " seconds.");
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
		catch (LatchkeyException ex) {
			return page(tab, actor, session, model, form, PortalProblems.describe(ex));
		}
		response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
		response.setHeader("Pragma", "no-cache");
		model.addAttribute("created", created);
		return page(tab, actor, session, model, null, null);
	}

	String revoke(Tab tab, Authentication me, String id, RedirectAttributes redirect) {
		try {
			this.tokens.revoke(tab.owner(), id, me.getName());
			redirect.addFlashAttribute("message", "Access token revoked. Anything using it gets 401 from now on.");
		}
		catch (LatchkeyException ex) {
			redirect.addFlashAttribute("error", PortalProblems.describe(ex));
		}
		return "redirect:" + tab.path();
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

}
