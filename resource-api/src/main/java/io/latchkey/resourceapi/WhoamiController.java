package io.latchkey.resourceapi;

import java.util.List;
import java.util.Map;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What an integration calls first: whose token this is and what it may do right now. */
@RestController
class WhoamiController {

	@GetMapping("/api/whoami")
	Map<String, Object> whoami(BearerTokenAuthentication authentication) {
		List<String> scopes = authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter((authority) -> authority.startsWith("SCOPE_"))
			.map((authority) -> authority.substring("SCOPE_".length()))
			.sorted()
			.toList();
		return Map.of("username", authentication.getName(), "scopes", scopes);
	}

}
