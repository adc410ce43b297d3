package io.latchkey.authorization.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.latchkey.authorization.directory.Directory;
import io.latchkey.authorization.directory.User;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who the caller is and how it signed in; {@code rights} are what this very call may do.
 */
@RestController
public class MeController {

	private final ObjectProvider<Directory> directory;

	public MeController(ObjectProvider<Directory> directory) {
		this.directory = directory;
	}

	@GetMapping("/api/me")
	Map<String, Object> me(Authentication caller) {
		Optional<User> user = Optional.ofNullable(this.directory.getIfAvailable())
			.flatMap((users) -> users.find(caller.getName()));
		List<String> rights = caller.getAuthorities()
			.stream()
			.filter((authority) -> !(authority instanceof FactorGrantedAuthority))
			.map(GrantedAuthority::getAuthority)
			.toList();
		Map<String, Object> me = new LinkedHashMap<>();
		me.put("username", caller.getName());
		me.put("displayName", user.map(User::displayName).orElse(null));
		me.put("groups", user.map(User::groups).orElse(java.util.Set.of()));
		me.put("rights", rights);
		me.put("authenticatedBy", (caller instanceof BearerTokenAuthentication) ? "token" : "password");
		return me;
	}

}
