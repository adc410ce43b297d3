package io.latchkey.authorization.security;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.latchkey.authorization.directory.Names;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.support.RemoteAddress;
import io.latchkey.authorization.throttle.LoginThrottle;
import io.latchkey.authorization.throttle.ThrottledException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.util.Assert;

/**
 * Every password check (HTTP Basic, the sign-in form, the portal's re-authentication):
 * refused at once while a throttle bucket of the username at this address, of the
 * username, or of the address is empty, before any BCrypt work; otherwise checked by
 * Spring's {@link DaoAuthenticationProvider}, and a failure is counted and audited as an
 * attempt (the username and address, never the password; summarised per window). The
 * password factor it grants is stamped with the application's clock.
 */
public final class PasswordAuthenticationProvider implements AuthenticationProvider {

	/**
	 * Anything shaped like a personal access token ("prefix_" and a long random part).
	 */
	private static final String TOKEN_LIKE = "[A-Za-z][A-Za-z0-9]{1,9}_[A-Za-z0-9]{20,}";

	/**
	 * What the audit trail says for a name that is no user's (it may be a mistyped
	 * password).
	 */
	private static final String NOT_A_USER = "(unknown user)";

	private final DaoAuthenticationProvider passwords;

	private final UserDetailsService users;

	private final LoginThrottle throttle;

	private final AuditLog audit;

	private final Clock clock;

	public PasswordAuthenticationProvider(UserDetailsService users, PasswordEncoder passwordEncoder,
			LoginThrottle throttle, AuditLog audit, Clock clock) {
		Assert.notNull(throttle, "throttle cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.users = users;
		this.passwords = new DaoAuthenticationProvider(users);
		this.passwords.setPasswordEncoder(passwordEncoder);
		this.throttle = throttle;
		this.audit = audit;
		this.clock = clock;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		try {
			return authenticateThrottled(authentication);
		}
		catch (DataAccessException ex) {
			throw new InternalAuthenticationServiceException("The user store is unavailable", ex);
		}
	}

	private Authentication authenticateThrottled(Authentication authentication) {
		String username = authentication.getName();
		String address = RemoteAddress.current();
		LoginThrottle.Key[] buckets = LoginThrottle.password(username, address);
		try {
			this.throttle.check(buckets);
		}
		catch (ThrottledException ex) {
			this.audit.attempt("signin.throttled", "username", shapedLikeAUsername(username) ? username : NOT_A_USER,
					address);
			throw ex;
		}
		Authentication result;
		try {
			result = this.passwords.authenticate(authentication);
		}
		catch (InternalAuthenticationServiceException ex) {
			throw ex;
		}
		catch (AuthenticationException ex) {
			this.throttle.failed(buckets);
			this.audit.attempt("signin.failed", "username", auditable(username), address);
			throw ex;
		}
		return withPasswordFactorNow(result);
	}

	/**
	 * The username as typed, for the audit trail, only if such a user exists: a password
	 * or a token typed into the wrong field must never be written down.
	 */
	String auditable(@Nullable String username) {
		if (!shapedLikeAUsername(username)) {
			return NOT_A_USER;
		}
		try {
			this.users.loadUserByUsername(username);
			return username;
		}
		catch (UsernameNotFoundException ex) {
			return NOT_A_USER;
		}
	}

	/**
	 * Whether it could be a username at all (a throttled attempt is recorded without a
	 * lookup).
	 */
	private static boolean shapedLikeAUsername(@Nullable String username) {
		return username != null && username.matches(Names.USERNAME) && !username.matches(TOKEN_LIKE);
	}

	private Authentication withPasswordFactorNow(Authentication result) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		for (GrantedAuthority authority : result.getAuthorities()) {
			if (!FactorGrantedAuthority.PASSWORD_AUTHORITY.equals(authority.getAuthority())) {
				authorities.add(authority);
			}
		}
		authorities.add(FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)
			.issuedAt(this.clock.instant())
			.build());
		UsernamePasswordAuthenticationToken stamped = UsernamePasswordAuthenticationToken
			.authenticated(result.getPrincipal(), result.getCredentials(), authorities);
		stamped.setDetails(result.getDetails());
		return stamped;
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
