package io.latchkey.auth.security;

import java.util.List;

import io.latchkey.auth.user.DirectoryStore;
import io.latchkey.auth.user.OwnerState;
import io.latchkey.auth.user.User;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/** Password sign-in (HTTP Basic, the portal's form) against the Redis directory. */
@Component
class DirectoryUserDetailsService implements UserDetailsService {

	private final DirectoryStore directory;

	DirectoryUserDetailsService(DirectoryStore directory) {
		this.directory = directory;
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		User user = this.directory.find(username).orElseThrow(() -> new UsernameNotFoundException("No such user"));
		List<SimpleGrantedAuthority> authorities = this.directory.ownerState(username)
			.map(OwnerState::rights)
			.orElseThrow(() -> new UsernameNotFoundException("No such user"))
			.stream()
			.map(SimpleGrantedAuthority::new)
			.toList();
		return org.springframework.security.core.userdetails.User.withUsername(user.username())
			.password(user.passwordHash())
			.disabled(!user.enabled())
			.authorities(authorities)
			.build();
	}

}
