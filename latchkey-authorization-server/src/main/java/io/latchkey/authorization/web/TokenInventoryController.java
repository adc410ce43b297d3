package io.latchkey.authorization.web;

import java.util.List;
import java.util.Map;

import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.support.Page;
import io.latchkey.authorization.token.TokenInventory;
import io.latchkey.authorization.token.TokenRequests;
import io.latchkey.authorization.token.TokenSelection;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The credentials inventory (needs {@code tokens.manage}): {@code GET /api/tokens} lists
 * the tokens of every user the caller outranks, filtered, sorted and in pages, or with
 * {@code Accept: text/csv} the whole selection as a CSV download;
 * {@code POST /api/tokens/revoke-selection} revokes a selection's live tokens if their
 * number is still the one the caller saw (409 otherwise, nothing revoked).
 *
 * @since 0.1
 */
@RestController
public class TokenInventoryController {

	private static final String VIA = "api/tokens/revoke-selection";

	private final TokenInventory inventory;

	/**
	 * @param inventory the credentials inventory
	 */
	public TokenInventoryController(TokenInventory inventory) {
		Assert.notNull(inventory, "inventory cannot be null");
		this.inventory = inventory;
	}

	/**
	 * One page of the selection as JSON; with {@code Accept: text/csv} the whole
	 * selection (up to {@link TokenInventory#EXPORT_LIMIT} tokens, {@code X-Total-Count}
	 * saying how many it holds) as a CSV download, never a token value.
	 */
	@GetMapping("/api/tokens")
	ResponseEntity<?> list(Actor admin, @RequestParam(required = false) String owner,
			@RequestParam(required = false) String createdBy, @RequestParam(required = false) String expiringBefore,
			@RequestParam(required = false) String unusedSince, @RequestParam(required = false) String audience,
			@RequestParam(required = false) List<String> state, @RequestParam(required = false) String sort,
			@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size,
			@RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
		TokenSelection selection = TokenSelection.parse(owner, createdBy, expiringBefore, unusedSince, audience, state,
				sort);
		if (!wantsCsv(accept)) {
			return PageResponses.of(this.inventory.list(selection, Page.Request.of(page, size), admin));
		}
		return TokenCsv.download(this.inventory.export(selection, admin));
	}

	@PostMapping("/api/tokens/revoke-selection")
	Map<String, Integer> revokeSelection(Actor admin, @Valid @RequestBody TokenRequests.RevokeSelection request) {
		return Map.of("revoked", this.inventory.revoke(request.selection(), request.expectedCount(), admin, VIA));
	}

	/**
	 * Whether the caller asks for CSV by name ({@code text/csv} in {@code Accept}, not
	 * through a wildcard); anything else, an unreadable header too, gets JSON.
	 */
	static boolean wantsCsv(@Nullable String accept) {
		if (accept == null || accept.isBlank()) {
			return false;
		}
		try {
			return MediaType.parseMediaTypes(accept)
				.stream()
				.anyMatch((type) -> "text".equalsIgnoreCase(type.getType()) && "csv".equalsIgnoreCase(type.getSubtype())
						&& type.getQualityValue() > 0);
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

}
