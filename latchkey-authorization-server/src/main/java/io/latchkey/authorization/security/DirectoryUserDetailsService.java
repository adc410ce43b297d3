package io.latchkey.authorization.security;

import java.time.Clock;
import java.util.List;

import io.latchkey.authorization.directory.Directory;
import io.latchkey.authorization.directory.User;
import io.latchkey.authorization.owner.OwnerState;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Password sign-in (HTTP Basic, the portal's form) against the Redis directory. Usernames
 * match regardless of case. A service account has no password, so it is never found here.
 */
public final class DirectoryUserDetailsService implements UserDetailsService {

	private final Directory directory;

	private final Clock clock;

	public DirectoryUserDetailsService(Directory directory, Clock clock) {
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
