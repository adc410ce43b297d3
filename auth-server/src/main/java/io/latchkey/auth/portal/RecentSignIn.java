package io.latchkey.auth.portal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.security.Actors;
import io.latchkey.authorization.security.PasswordAuthenticationProvider;
import io.latchkey.authorization.throttle.ThrottledException;
import io.latchkey.core.Causes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * Every grant (generating or rotating a token, setting a password, changing groups or
 * rights) asks for the password again when it was last given more than
 * {@code latchkey.portal.reauthenticate-after} (15 minutes) ago: an unattended browser is
 * not enough. The time is Spring Security 7's password-factor timestamp; the access
 * policy checks the same rule for the API. Confirming the password is a real sign-in
 * check (throttled like any other) that renews the session's password factor.
 */
@Component
class RecentSignIn {

	private final PasswordAuthenticationProvider passwords;

	private final AccessPolicy policy;

	private final SecurityContextRepository sessions = new HttpSessionSecurityContextRepository();

	RecentSignIn(PasswordAuthenticationProvider passwords, AccessPolicy policy) {
		this.passwords = passwords;
		this.policy = policy;
	}

	/**
	 * Whether the password was given recently enough for a grant (the access policy's
	 * rule).
	 */
	boolean isRecent(Authentication authentication) {
		return this.policy.isFresh(Actors.of(authentication));
	}

	/**
	 * Checks the password of the signed-in user again and, if right, renews the session's
	 * password factor. Throws what the sign-in would throw (a wrong password,
	 * throttling).
	 */
	Authentication reauthenticate(Authentication current, String password, HttpServletRequest request,
			HttpServletResponse response) {
		Authentication checked = this.passwords
			.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(current.getName(), password));
		List<GrantedAuthority> authorities = new ArrayList<>();
		current.getAuthorities()
			.stream()
			.filter((authority) -> !FactorGrantedAuthority.PASSWORD_AUTHORITY.equals(authority.getAuthority()))
			.forEach(authorities::add);
		checked.getAuthorities()
			.stream()
			.filter((authority) -> FactorGrantedAuthority.PASSWORD_AUTHORITY.equals(authority.getAuthority()))
			.forEach(authorities::add);
		UsernamePasswordAuthenticationToken renewed = UsernamePasswordAuthenticationToken
			.authenticated(current.getPrincipal(), null, authorities);
		renewed.setDetails(current.getDetails());
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(renewed);
		SecurityContextHolder.setContext(context);
		this.sessions.saveContext(context, request, response);
		return renewed;
	}

	/**
	 * Who acts for a grant: the session's user as it is if its password is recent, else
	 * as renewed by {@code password}, confirmed here. A missing or wrong password, or
	 * throttling, is a sentence for the form instead; a storage failure propagates (503).
	 * @param what what the grant does, for the sentence ("generate a token")
	 */
	Confirmation confirm(Authentication me, @Nullable String password, String what, HttpServletRequest request,
			HttpServletResponse response) {
		if (isRecent(me)) {
			return new Confirmation(me, null);
		}
		if (password == null || password.isEmpty()) {
			return new Confirmation(null, "Confirm your password to " + what + ".");
		}
		try {
			return new Confirmation(reauthenticate(me, password, request, response), null);
		}
		catch (ThrottledException ex) {
			return new Confirmation(null,
					"Too many failed attempts. Try again in " + ex.retryAfterSeconds() + " seconds.");
		}
		catch (AuthenticationException ex) {
			if (isStorageFailure(ex)) {
				throw ex;
			}
			return new Confirmation(null, "That password is not right. Confirm your password to " + what + ".");
		}
	}

	/**
	 * As {@link #confirm}, only when a password was given: without one the session acts
	 * as it is, and the access policy decides whether that is enough for what it does.
	 */
	Confirmation confirmIfGiven(Authentication me, @Nullable String password, String what, HttpServletRequest request,
			HttpServletResponse response) {
		if (password == null || password.isEmpty()) {
			return new Confirmation(me, null);
		}
		return confirm(me, password, what, request, response);
	}

	/** What a form needs to ask for the password: whether to, and the window it names. */
	void describe(Model model, Authentication me) {
		model.addAttribute("needsPassword", !isRecent(me));
		model.addAttribute("reauthenticateMinutes", window().toMinutes());
	}

	Duration window() {
		return this.policy.reauthenticateAfter();
	}

	/** Whether a failure was caused by the store being unreachable or failing. */
	static boolean isStorageFailure(Throwable failure) {
		return Causes.isCausedBy(failure, DataAccessException.class);
	}

	/** The outcome of {@link #confirm}: who acts, or why nobody may yet. */
	record Confirmation(@Nullable Authentication actor, @Nullable String problem) {
	}

}
