package io.latchkey.authorization.web;

import java.util.List;

import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.approval.TokenApprovals;
import io.latchkey.authorization.approval.TokenRequestViews;
import io.latchkey.authorization.support.Page;
import io.latchkey.authorization.token.TokenRequests;
import io.latchkey.authorization.token.TokenViews;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Token requests that need approval: a user's own under {@code /api/me/token-requests}
 * (filed, listed, claimed), and the ones an approver may decide under
 * {@code /api/token-requests} (needs {@code tokens.manage}). The security configuration
 * decides who may call what; {@link TokenApprovals} asks the access policy the rest.
 *
 * @since 0.1
 */
@RestController
public class TokenRequestController {

	private final TokenApprovals approvals;

	/**
	 * @param approvals files, decides and claims requests
	 */
	public TokenRequestController(TokenApprovals approvals) {
		this.approvals = approvals;
	}

	@PostMapping("/api/me/token-requests")
	ResponseEntity<TokenRequestViews.ListedRequest> request(Actor me,
			@RequestBody(required = false) TokenRequests.Generate request) {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(this.approvals.request(me, orEmpty(request)));
	}

	@GetMapping("/api/me/token-requests")
	ResponseEntity<List<TokenRequestViews.ListedRequest>> mine(Actor me, @RequestParam(required = false) Integer page,
			@RequestParam(required = false) Integer size) {
		return PageResponses.of(this.approvals.mine(me, Page.Request.of(page, size)));
	}

	@PostMapping("/api/me/token-requests/{id}/claim")
	ResponseEntity<TokenViews.Created> claim(Actor me, @PathVariable String id) {
		return ResponseEntity.status(HttpStatus.CREATED).headers(NoStore.headers()).body(this.approvals.claim(id, me));
	}

	@GetMapping("/api/token-requests")
	ResponseEntity<List<TokenRequestViews.ListedRequest>> decidable(Actor approver,
			@RequestParam(required = false) String state, @RequestParam(required = false) Integer page,
			@RequestParam(required = false) Integer size) {
		return PageResponses.of(this.approvals.decidable(approver, state, Page.Request.of(page, size)));
	}

	@PostMapping("/api/token-requests/{id}/approve")
	TokenRequestViews.ListedRequest approve(Actor approver, @PathVariable String id,
			@RequestBody(required = false) TokenRequestViews.Decision decision) {
		return this.approvals.approve(id, approver, orEmpty(decision));
	}

	@PostMapping("/api/token-requests/{id}/deny")
	TokenRequestViews.ListedRequest deny(Actor approver, @PathVariable String id,
			@RequestBody(required = false) TokenRequestViews.Decision decision) {
		return this.approvals.deny(id, approver, orEmpty(decision));
	}

	/**
	 * What generating a token through {@link TokenApprovals} answers: 201 with the token,
	 * or 202 with the request filed when it needs approval.
	 */
	static ResponseEntity<?> generated(TokenRequestViews.Generated generated) {
		if (generated.token() != null) {
			return ResponseEntity.status(HttpStatus.CREATED).headers(NoStore.headers()).body(generated.token());
		}
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(generated.request());
	}

	private static TokenRequests.Generate orEmpty(TokenRequests.Generate request) {
		return (request != null) ? request : new TokenRequests.Generate(null, null, null, null, null, null);
	}

	private static TokenRequestViews.Decision orEmpty(TokenRequestViews.Decision decision) {
		return (decision != null) ? decision : new TokenRequestViews.Decision(null);
	}

}
