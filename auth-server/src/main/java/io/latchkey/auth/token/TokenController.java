package io.latchkey.auth.token;

import java.util.List;
import java.util.Map;

import io.latchkey.auth.user.Names;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Personal access tokens: a user's own under {@code /api/me/tokens}, anyone's under
 * {@code /api/users/{username}/tokens} (needs {@code tokens.manage}), and revocation of a leaked
 * token by its string. Who may call what is decided in the API security configuration.
 */
@RestController
class TokenController {

	private final TokenService tokens;

	TokenController(TokenService tokens) {
		this.tokens = tokens;
	}

	@GetMapping("/api/me/tokens")
	List<TokenViews.Listed> myTokens(Authentication user) {
		return this.tokens.list(user.getName());
	}

	@PostMapping("/api/me/tokens")
	ResponseEntity<TokenViews.Created> generateMine(Authentication user,
			@Valid @RequestBody(required = false) TokenRequests.Generate request) {
		return created(this.tokens.generate(user.getName(), user.getName(), orEmpty(request)));
	}

	@DeleteMapping("/api/me/tokens/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revokeMine(Authentication user, @PathVariable String id) {
		this.tokens.revoke(user.getName(), id, user.getName());
	}

	@GetMapping("/api/users/{username}/tokens")
	List<TokenViews.Listed> tokensOf(@PathVariable @Pattern(regexp = Names.USERNAME) String username) {
		return this.tokens.list(username);
	}

	@PostMapping("/api/users/{username}/tokens")
	ResponseEntity<TokenViews.Created> generateFor(Authentication admin,
			@PathVariable @Pattern(regexp = Names.USERNAME) String username,
			@Valid @RequestBody(required = false) TokenRequests.Generate request) {
		return created(this.tokens.generate(username, admin.getName(), orEmpty(request)));
	}

	@DeleteMapping("/api/users/{username}/tokens/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revokeOf(Authentication admin, @PathVariable @Pattern(regexp = Names.USERNAME) String username,
			@PathVariable String id) {
		this.tokens.revoke(username, id, admin.getName());
	}

	@DeleteMapping("/api/users/{username}/tokens")
	Map<String, Integer> revokeAllOf(Authentication admin,
			@PathVariable @Pattern(regexp = Names.USERNAME) String username) {
		return Map.of("revoked", this.tokens.revokeAll(username, admin.getName()));
	}

	/** Revokes a leaked token wherever it belongs; the answer never says whether it existed. */
	@PostMapping("/api/tokens/revoke")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revokeLeaked(Authentication admin, @Valid @RequestBody TokenRequests.Revoke request) {
		this.tokens.revokeByValue(request.token(), admin.getName(), "api/tokens/revoke");
	}

	private static ResponseEntity<TokenViews.Created> created(TokenViews.Created token) {
		return ResponseEntity.status(HttpStatus.CREATED)
			.cacheControl(CacheControl.noStore())
			.header("Pragma", "no-cache")
			.body(token);
	}

	private static TokenRequests.Generate orEmpty(TokenRequests.Generate request) {
		return (request != null) ? request : new TokenRequests.Generate(null, null, null);
	}

}
