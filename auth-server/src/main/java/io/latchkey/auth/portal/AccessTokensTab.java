package io.latchkey.auth.portal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.approval.TokenApprovals;
import io.latchkey.authorization.approval.TokenRequestViews;
import io.latchkey.authorization.directory.UserService;
import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.error.LatchkeyException;
import io.latchkey.authorization.security.Actors;
import io.latchkey.authorization.support.Page;
import io.latchkey.authorization.token.ResourceServices;
import io.latchkey.authorization.token.TokenIssuer;
import io.latchkey.authorization.token.TokenQueries;
import io.latchkey.authorization.token.TokenRequests;
import io.latchkey.authorization.token.TokenRevocation;
import io.latchkey.authorization.token.TokenRotation;
import io.latchkey.authorization.token.TokenViews;
import io.latchkey.authorization.web.NoStore;
import io.latchkey.dpop.DPoP;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Access Tokens tab, whoever's tokens it shows (under My Account, or on a user's
 * page), with the seed's flow: Generate Access Token shows the full string once (on a
 * no-store page, never in a URL, never kept in the session), then only the hint is
 * listed. Generating asks for the password again when it was given too long ago (see
 * {@link RecentSignIn#confirm}), and confirming it renews the session's factor. A token
 * made for somebody else shows its ceiling. Rotate replaces a token with a new one (shown
 * once, the same way) under the same rule. Each row says when the token expires ("in 5
 * days", highlighted within a week), where it was used from (its last distinct addresses)
 * and where it may be used from (its allowlist).
 */
@Component
class AccessTokensTab {

	/** Tokens that expire within this are highlighted. */
	private static final Duration NEAR_EXPIRY = Duration.ofDays(7);

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final TokenIssuer issuer;

	private final TokenRotation rotation;

	private final TokenRevocation revocation;

	private final TokenQueries queries;

	private final UserService users;

	private final RecentSignIn recentSignIn;

	private final FormNonces nonces;

	private final Clock clock;

	private final ResourceServices services;

	private final TokenApprovals approvals;

	AccessTokensTab(TokenIssuer issuer, TokenRotation rotation, TokenRevocation revocation, TokenQueries queries,
			UserService users, RecentSignIn recentSignIn, FormNonces nonces, Clock clock, ResourceServices services,
			TokenApprovals approvals) {
		this.services = services;
		this.approvals = approvals;
		this.issuer = issuer;
		this.rotation = rotation;
		this.revocation = revocation;
		this.queries = queries;
		this.users = users;
		this.recentSignIn = recentSignIn;
		this.nonces = nonces;
		this.clock = clock;
	}

	String page(Tab tab, Authentication me, HttpSession session, Model model, GenerateForm form, String generateError) {
		Lifetimes policy = Lifetimes.of(this.issuer.policy());
		String nonce = this.nonces.issue(session);
		model.addAttribute("tab", tab);
		Actor actor = Actors.of(me);
		model.addAttribute("user",
				tab.admin() ? this.users.get(tab.owner(), actor) : this.users.view(this.users.find(tab.owner())));
		Instant now = this.clock.instant();
		model.addAttribute("rows",
				this.queries.list(tab.owner(), Page.Request.first(Integer.MAX_VALUE), actor)
					.items()
					.stream()
					.map((token) -> row(token, now, this.services))
					.toList());
		model.addAttribute("lifetimes", policy.choices());
		model.addAttribute("defaultDays", policy.defaultDays());
		model.addAttribute("form", (form != null) ? form.withoutPassword(nonce)
				: new GenerateForm(null, (int) policy.defaultDays(), null, nonce, null, defaultAudience(), null));
		model.addAttribute("services", this.services.all());
		model.addAttribute("generateOpen", form != null);
		model.addAttribute("generateError", generateError);
		model.addAttribute("requests",
				tab.admin() ? List.of()
						: this.approvals.mine(actor, Page.Request.first(Page.Request.MAX_SIZE))
							.items()
							.stream()
							.map((request) -> requestRow(request, actor))
							.toList());
		this.recentSignIn.describe(model, me);
		return "tokens";
	}

	String generate(Tab tab, Authentication me, GenerateForm form, HttpSession session, Model model,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		if (!this.nonces.consume(session, form.nonce())) {
			redirect.addFlashAttribute("message",
					"That token was already generated: it is in the list below, only partly visible.");
			return "redirect:" + tab.path();
		}
		return showOnce(tab, me, form.password(), "generate a token", (actor) -> {
			TokenRequests.Generate generate = new TokenRequests.Generate(form.description(),
					expiry(form.lifetimeDays()), null, form.allowedIpList(), form.audienceList(),
					thumbprint(form.key()));
			if (!this.approvals.enabled()) {
				return new TokenRequestViews.Generated(this.issuer.generate(tab.owner(), actor, generate), null);
			}
			return this.approvals.generate(tab.owner(), actor, generate);
		}, (actor, problem) -> page(tab, actor, session, model, form, problem), null, session, model, request,
				response);
	}

	/**
	 * Claims an approved token request: the token is shown once, like a generated one.
	 * Needs a recent password, like generating.
	 */
	String claim(Tab tab, Authentication me, String id, String password, HttpSession session, Model model,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		return showOnce(tab, me, password, "claim a token",
				(actor) -> new TokenRequestViews.Generated(this.approvals.claim(id, actor), null), (actor, problem) -> {
					redirect.addFlashAttribute("error", problem);
					return "redirect:" + tab.path();
				}, "Token request claimed: copy the token now.", session, model, request, response);
	}

	/**
	 * Rotates a token: the new one is shown once, like a generated one; the old one stops
	 * working (after the configured overlap). Needs a recent password, like generating.
	 */
	String rotate(Tab tab, Authentication me, String id, String password, HttpSession session, Model model,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		Duration overlap = this.issuer.policy().rotationOverlap();
		return showOnce(tab, me, password, "rotate a token",
				(actor) -> new TokenRequestViews.Generated(
						this.rotation.rotate(tab.owner(), id, actor, new TokenRequests.Rotate(null)), null),
				(actor, problem) -> {
					redirect.addFlashAttribute("error", problem);
					return "redirect:" + tab.path();
				},
				overlap.isZero() ? "Token rotated: the old one stopped working."
						: "Token rotated: the old one keeps working for " + overlap.toMinutes() + " more minutes.",
				session, model, request, response);
	}

	/**
	 * What generating and rotating share: the password again unless the sign-in is
	 * recent, the token made, and the page that shows it once (never stored by any
	 * cache). A refusal, of the password or by the services, goes to {@code refused} with
	 * what to tell the user. A generation that needs approval files a request instead,
	 * and the page says so.
	 */
	private String showOnce(Tab tab, Authentication me, @Nullable String password, String what,
			Function<Actor, TokenRequestViews.Generated> make, BiFunction<Authentication, String, String> refused,
			@Nullable String message, HttpSession session, Model model, HttpServletRequest request,
			HttpServletResponse response) {
		RecentSignIn.Confirmation confirmed = this.recentSignIn.confirm(me, password, what, request, response);
		if (confirmed.actor() == null) {
			return refused.apply(me, confirmed.problem());
		}
		Authentication actor = confirmed.actor();
		TokenRequestViews.Generated made;
		try {
			made = make.apply(Actors.of(actor));
		}
		catch (LatchkeyException ex) {
			return refused.apply(actor, PortalProblems.describe(ex));
		}
		if (made.token() == null) {
			model.addAttribute("message", tab.admin()
					? "Request sent for approval: another approver decides it, and you are told. Once it is "
							+ "approved, claim the token under My Account > Access Tokens: it is shown to you once."
					: "Request sent for approval: an approver decides it, and you are told. "
							+ "Once it is approved, claim the token below.");
			return page(tab, actor, session, model, null, null);
		}
		NoStore.apply(response);
		model.addAttribute("created", made.token());
		if (message != null) {
			model.addAttribute("message", message);
		}
		return page(tab, actor, session, model, null, null);
	}

	String revoke(Tab tab, Authentication me, String id, RedirectAttributes redirect) {
		try {
			this.revocation.revoke(tab.owner(), id, Actors.of(me));
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

	/** The services checked in a new form: the default audience (none: all of them). */
	private List<String> defaultAudience() {
		Set<String> audience = this.services.defaultAudience();
		return this.services.all()
			.stream()
			.map(ResourceServices.Service::clientId)
			.filter((clientId) -> audience == null || audience.contains(clientId))
			.toList();
	}

	/**
	 * The key a token is bound to, as pasted: an RFC 7638 thumbprint, or a public JWK (EC
	 * or RSA, the keys DPoP proofs are checked with) whose thumbprint it computes.
	 */
	static String thumbprint(String key) {
		if (key == null || key.isBlank()) {
			return null;
		}
		String pasted = key.strip();
		if (!pasted.startsWith("{")) {
			return pasted;
		}
		JWK jwk;
		try {
			jwk = JWK.parse(pasted);
		}
		catch (java.text.ParseException ex) {
			throw new InvalidRequestException("jwk", "is not a JSON Web Key (RFC 7517)");
		}
		if (jwk.isPrivate()) {
			throw new InvalidRequestException("jwk",
					"holds a private key: paste the public key only (keygen prints its thumbprint)");
		}
		if (!KeyType.EC.equals(jwk.getKeyType()) && !KeyType.RSA.equals(jwk.getKeyType())) {
			throw new InvalidRequestException("jwk",
					"must be an EC or RSA public key: DPoP proofs are checked with " + DPoP.ALGORITHMS);
		}
		try {
			return jwk.computeThumbprint().toString();
		}
		catch (JOSEException ex) {
			throw new InvalidRequestException("jwk", "has no thumbprint: " + ex.getMessage());
		}
	}

	private static Row row(TokenViews.Listed token, Instant now, ResourceServices services) {
		List<String> uses = token.recentUses()
			.stream()
			.map((use) -> use.address() + " · " + TIME.format(use.at()))
			.toList();
		boolean active = "active".equals(token.status());
		return new Row(token.id(), token.hint(), token.description(), token.ceiling(), TIME.format(token.createdAt()),
				token.createdBy(), TIME.format(token.expiresAt()), token.expired(),
				(token.lastUsedAt() != null) ? TIME.format(token.lastUsedAt()) : "Never", token.lastUsedFrom(),
				token.status(), active ? expiresIn(token.expiresAt(), now) : null,
				active && token.expiresAt().isBefore(now.plus(NEAR_EXPIRY)), token.allowedIps(), uses,
				audience(token.audience(), services),
				(token.jkt() != null) ? "…" + token.jkt().substring(token.jkt().length() - 8) : null,
				(token.revocationReason() != null) ? "revoked: " + token.revocationReason() : null,
				(token.revokedAt() != null) ? TIME.format(token.revokedAt()) + " by " + token.revokedBy() : null);
	}

	/** The services a token works at, by name; "any service" for one with no audience. */
	private static String audience(Set<String> audience, ResourceServices services) {
		if (audience == null) {
			return "any service";
		}
		return audience.stream()
			.sorted()
			.map((clientId) -> services.find(clientId).map(ResourceServices.Service::name).orElse(clientId))
			.collect(Collectors.joining(", "));
	}

	/**
	 * "expires in 5 days" (to the nearest day), "expires in 3 hours", "expires in 20
	 * minutes".
	 */
	static String expiresIn(Instant expiresAt, Instant now) {
		Duration left = Duration.between(now, expiresAt);
		if (left.toDays() >= 1) {
			long days = left.plusHours(12).toDays();
			return "expires in " + days + ((days == 1) ? " day" : " days");
		}
		if (left.toHours() >= 1) {
			return "expires in " + left.toHours() + ((left.toHours() == 1) ? " hour" : " hours");
		}
		long minutes = Math.max(1, left.toMinutes());
		return "expires in " + minutes + ((minutes == 1) ? " minute" : " minutes");
	}

	/**
	 * Which Access Tokens tab: the signed-in user's own, or a user's as an administrator.
	 */
	record Tab(String owner, boolean admin, String path) {

		static Tab account(String me) {
			return new Tab(me, false, "/account/tokens");
		}

		static Tab admin(String username) {
			return new Tab(username, true, "/admin/users/" + username + "/tokens");
		}

	}

	/**
	 * The generate form: all optional; the password only when the sign-in is not recent;
	 * the allowlist as CIDR ranges separated by commas or spaces; the services (checked
	 * boxes, client ids) it may be used at; the key it is bound to (a thumbprint or a
	 * public JWK).
	 */
	record GenerateForm(String description, Integer lifetimeDays, String password, String nonce, String allowedIps,
			List<String> audience, String key) {

		/**
		 * The form to show again: never the password, nor a pasted private key (which is
		 * refused, and must not travel back).
		 */
		GenerateForm withoutPassword(String newNonce) {
			boolean privateKey = this.key != null && this.key.strip().startsWith("{") && this.key.contains("\"d\"");
			return new GenerateForm(this.description, this.lifetimeDays, null, newNonce, this.allowedIps, this.audience,
					privateKey ? null : this.key);
		}

		/**
		 * The services checked; none checked (the form sends nothing then) means the
		 * default audience.
		 */
		List<String> audienceList() {
			return (this.audience != null && !this.audience.isEmpty()) ? this.audience : null;
		}

		List<String> allowedIpList() {
			if (this.allowedIps == null || this.allowedIps.isBlank()) {
				return null;
			}
			return List.of(this.allowedIps.strip().split("[,\\s]+"));
		}

	}

	private static RequestRow requestRow(TokenRequestViews.ListedRequest request, Actor me) {
		String whose = !me.is(request.requestedBy()) ? "asked for you by " + request.requestedBy()
				: !me.is(request.requester()) ? "for " + request.requester() : null;
		return new RequestRow(request.id(), request.description(),
				request.rights().isEmpty() ? "—" : String.join(", ", new TreeSet<>(request.rights())),
				String.join("; ", request.because()), request.state(), TIME.format(request.requestedAt()),
				request.decidedBy(), request.reason(),
				(request.claimBy() != null) ? TIME.format(request.claimBy()) : null, whose,
				me.is(request.requestedBy()));
	}

	/**
	 * A token request as the list shows it: one's own, one a manager asked for one's
	 * token ({@code whose} says who; only they claim it), or one asked for somebody
	 * else's token ({@code whose} says whose).
	 */
	record RequestRow(String id, String description, String rights, String because, String state, String requestedAt,
			String decidedBy, String reason, String claimBy, String whose, boolean claimable) {
	}

	/** A token as the list shows it. */
	record Row(String id, String hint, String description, Set<String> ceiling, String createdAt, String createdBy,
			String expiresAt, boolean expired, String lastUsedAt, String lastUsedFrom, String status, String expiresIn,
			boolean nearExpiry, List<String> allowedIps, List<String> recentUses, String audience, String boundKey,
			String revoked, String revokedWhen) {
	}

}
