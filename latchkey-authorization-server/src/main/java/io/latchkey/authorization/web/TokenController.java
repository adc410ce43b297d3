package io.latchkey.authorization.web;

import java.util.List;
import java.util.Map;

import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.approval.TokenApprovals;
import io.latchkey.authorization.directory.Names;
import io.latchkey.authorization.support.Page;
import io.latchkey.authorization.token.TokenIssuer;
import io.latchkey.authorization.token.TokenQueries;
import io.latchkey.authorization.token.TokenRequests;
import io.latchkey.authorization.token.TokenRevocation;
import io.latchkey.authorization.token.TokenRotation;
import io.latchkey.authorization.token.TokenViews;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Personal access tokens: a user's own under {@code /api/me/tokens}, anyone's under
 * {@code /api/users/{username}/tokens} (needs {@code tokens.manage}), rotation (by id, or
 * of the very bearer token that calls), and revocation of a leaked token by its string.
 * The security configuration decides who may call what; the services validate the bodies
 * and check what an actor may hand out.
 *
 * @since 0.1
 */
@RestController
public class TokenController {

	private final TokenIssuer issuer;

	private final TokenRotation rotation;

	private final TokenRevocation revocation;

	private final TokenQueries queries;

	private final TokenApprovals approvals;

	/**
	 * @param issuer generates tokens
	 * @param rotation rotates them
	 * @param revocation revokes them
	 * @param queries lists them
	 * @param approvals files a request instead where a token needs approval
	 */
	public TokenController(TokenIssuer issuer, TokenRotation rotation, TokenRevocation revocation, TokenQueries queries,
			TokenApprovals approvals) {
		this.approvals = approvals;
		this.issuer = issuer;
		this.rotation = rotation;
		this.revocation = revocation;
		this.queries = queries;
	}

	@GetMapping("/api/me/tokens")
	ResponseEntity<List<TokenViews.Listed>> myTokens(Actor me, @RequestParam(required = false) Integer page,
			@RequestParam(required = false) Integer size) {
		return PageResponses.of(this.queries.list(me.username(), Page.Request.of(page, size), me));
	}

	/**
	 * Generates the caller's own token: 201 with it, or 202 with a pending request when
	 * it needs approval ({@code latchkey.tokens.approval.*}).
	 */
	@PostMapping("/api/me/tokens")
	ResponseEntity<?> generateMine(Actor me, @RequestBody(required = false) TokenRequests.Generate request) {
		if (!this.approvals.enabled()) {
			return created(this.issuer.generate(me.username(), me, orEmpty(request)));
		}
		return TokenRequestController.generated(this.approvals.generate(me, orEmpty(request)));
	}

	@DeleteMapping("/api/me/tokens/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revokeMine(Actor me, @PathVariable String id) {
		this.revocation.revoke(me.username(), id, me);
	}

	@PostMapping("/api/me/tokens/{id}/rotate")
	ResponseEntity<TokenViews.Created> rotateMine(Actor me, @PathVariable String id,
			@RequestBody(required = false) TokenRequests.Rotate request) {
		return created(this.rotation.rotate(me.username(), id, me, orEmpty(request)));
	}

	@GetMapping("/api/users/{username}/tokens")
	ResponseEntity<List<TokenViews.Listed>> tokensOf(Actor admin,
			@PathVariable @Pattern(regexp = Names.USERNAME) String username,
			@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
		return PageResponses.of(this.queries.list(username, Page.Request.of(page, size), admin));
	}

	/**
	 * Generates a token for a user (oneself included): 201 with it, or 202 with a pending
	 * request when it needs approval, which a second person decides and the caller then
	 * claims.
	 */
	@PostMapping("/api/users/{username}/tokens")
	ResponseEntity<?> generateFor(Actor admin, @PathVariable @Pattern(regexp = Names.USERNAME) String username,
			@RequestBody(required = false) TokenRequests.Generate request) {
		if (!this.approvals.enabled()) {
			return created(this.issuer.generate(username, admin, orEmpty(request)));
		}
		return TokenRequestController.generated(this.approvals.generate(username, admin, orEmpty(request)));
	}

	@DeleteMapping("/api/users/{username}/tokens/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revokeOf(Actor admin, @PathVariable @Pattern(regexp = Names.USERNAME) String username,
			@PathVariable String id) {
		this.revocation.revoke(username, id, admin);
	}

	@PostMapping("/api/users/{username}/tokens/{id}/rotate")
	ResponseEntity<TokenViews.Created> rotateOf(Actor admin,
			@PathVariable @Pattern(regexp = Names.USERNAME) String username, @PathVariable String id,
			@RequestBody(required = false) TokenRequests.Rotate request) {
		return created(this.rotation.rotate(username, id, admin, orEmpty(request)));
	}

	/**
	 * Rotates the bearer token that authenticates this very call (GitLab's
	 * self-rotation): the answer holds its successor, and the presented token stops
	 * working (after the overlap).
	 */
	@PostMapping("/api/tokens/self/rotate")
	ResponseEntity<TokenViews.Created> rotateSelf(BearerTokenAuthentication caller,
			@RequestBody(required = false) TokenRequests.Rotate request) {
		return created(this.rotation.rotateSelf(caller.getToken().getTokenValue(), orEmpty(request)));
	}

	@DeleteMapping("/api/users/{username}/tokens")
	Map<String, Integer> revokeAllOf(Actor admin, @PathVariable @Pattern(regexp = Names.USERNAME) String username) {
		return Map.of("revoked", this.revocation.revokeAll(username, admin));
	}

	/**
	 * Revokes a leaked token wherever it belongs; the answer never says whether it
	 * existed.
	 */
	@PostMapping("/api/tokens/revoke")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revokeLeaked(Actor admin, @RequestBody TokenRequests.Revoke request) {
		this.revocation.revokeLeaked(request, admin, "api/tokens/revoke");
	}

	private static ResponseEntity<TokenViews.Created> created(TokenViews.Created token) {
		return ResponseEntity.status(HttpStatus.CREATED).headers(NoStore.headers()).body(token);
	}

	private static TokenRequests.Generate orEmpty(TokenRequests.Generate request) {
		return (request != null) ? request : new TokenRequests.Generate(null, null, null, null, null, null);
	}

	private static TokenRequests.Rotate orEmpty(TokenRequests.Rotate request) {
		return (request != null) ? request : new TokenRequests.Rotate(null);
	}

}
