package io.latchkey.auth.security;

import java.time.Clock;
import java.util.List;

import io.latchkey.auth.user.DirectoryStore;
import io.latchkey.auth.user.OwnerState;
import io.latchkey.auth.user.User;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/**
 * Password sign-in (HTTP Basic, the portal's form) against the Redis directory. Usernames match
 * regardless of case. A service account has no password, so it is never found here.
 */
@Component
class DirectoryUserDetailsService implements UserDetailsService {

	private final DirectoryStore directory;

	private final Clock clock;

	DirectoryUserDetailsService(DirectoryStore directory, Clock clock) {
		this.directory = directory;
		this.clock = clock;
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		User user = this.directory.find(username)
			.filter(User::hasPassword)
			.orElseThrow(() -> new UsernameNotFoundException("No such user"));
		OwnerState state = this.directory.ownerState(username)
			.orElseThrow(() -> new UsernameNotFoundException("No such user"));
		List<SimpleGrantedAuthority> authorities = state.rights().stream().map(SimpleGrantedAuthority::new).toList();
		return new LatchkeyUser(user.username(), user.passwordHash(), user.enabled(), authorities, user.uid(),
				user.stamp(), this.clock.instant());
	}

}
