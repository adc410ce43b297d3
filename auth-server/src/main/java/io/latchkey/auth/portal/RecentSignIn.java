package io.latchkey.auth.portal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.latchkey.auth.LatchkeyProperties;
import io.latchkey.auth.user.DirectoryStore;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Generating a token in the portal asks for the password again when the sign-in is older than
 * {@code latchkey.portal.reauthenticate-after} (15 minutes): an unattended browser is not
 * enough to mint a token. The sign-in time is Spring Security 7's password-factor timestamp.
 */
@Component
public class RecentSignIn {

	private final DirectoryStore directory;

	private final PasswordEncoder passwordEncoder;

	private final Duration window;

	private final Clock clock;

	RecentSignIn(DirectoryStore directory, PasswordEncoder passwordEncoder, LatchkeyProperties properties,
			Clock clock) {
		this.directory = directory;
		this.passwordEncoder = passwordEncoder;
		this.window = properties.portal().reauthenticateAfter();
		this.clock = clock;
	}

	/** Whether the password was given within the window. */
	public boolean isRecent(Authentication authentication) {
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (authority instanceof FactorGrantedAuthority factor
					&& FactorGrantedAuthority.PASSWORD_AUTHORITY.equals(factor.getAuthority())) {
				Instant issuedAt = factor.getIssuedAt();
				return issuedAt != null && this.clock.instant().isBefore(issuedAt.plus(this.window));
			}
		}
		return false;
	}

	/** Whether {@code password} is the user's current password. */
	public boolean confirms(String username, String password) {
		return password != null && !password.isEmpty() && this.directory.find(username)
			.map((user) -> user.enabled() && this.passwordEncoder.matches(password, user.passwordHash()))
			.orElse(false);
	}

	public Duration window() {
		return this.window;
	}

}
