package io.latchkey.auth.portal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.latchkey.authorization.autoconfigure.LatchkeyProperties;
import io.latchkey.authorization.security.PasswordAuthenticationProvider;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * Generating a token asks for the password again when it was last given more than
 * {@code latchkey.portal.reauthenticate-after} (15 minutes) ago: an unattended browser is not
 * enough to mint a token. The time is Spring Security 7's password-factor timestamp; the
 * token service checks the same rule for the API. Confirming the password is a real sign-in
 * check (throttled like any other) that renews the session's password factor.
 */
@Component
class RecentSignIn {

	private final PasswordAuthenticationProvider passwords;

	private final Duration window;

	private final Clock clock;

	private final SecurityContextRepository sessions = new HttpSessionSecurityContextRepository();

	RecentSignIn(PasswordAuthenticationProvider passwords, LatchkeyProperties properties, Clock clock) {
		this.passwords = passwords;
		this.window = properties.portal().reauthenticateAfter();
		this.clock = clock;
	}

	/** Whether the password was given within the window. */
	boolean isRecent(Authentication authentication) {
		Instant issuedAt = passwordIssuedAt(authentication);
		return issuedAt != null && !this.clock.instant().isAfter(issuedAt.plus(this.window));
	}

	/**
	 * Checks the password of the signed-in user again and, if right, renews the session's
	 * password factor. Throws what the sign-in would throw (a wrong password, throttling).
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

	Duration window() {
		return this.window;
	}

	private static Instant passwordIssuedAt(Authentication authentication) {
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (authority instanceof FactorGrantedAuthority factor
					&& FactorGrantedAuthority.PASSWORD_AUTHORITY.equals(factor.getAuthority())) {
				return factor.getIssuedAt();
			}
		}
		return null;
	}

}
