package io.latchkey.auth.portal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.error.ConflictException;
import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.security.Actors;
import io.latchkey.authorization.support.Page;
import io.latchkey.authorization.token.ResourceServices;
import io.latchkey.authorization.token.TokenInventory;
import io.latchkey.authorization.token.TokenSelection;
import io.latchkey.authorization.token.TokenViews;
import io.latchkey.authorization.web.TokenCsv;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Configuration › Access Tokens › All access tokens (with {@code tokens.manage}): the
 * credentials inventory as a page. The API's filters as a form (days for the instants,
 * the start of that day in UTC), sortable columns, pages, a CSV download of the same
 * selection, and "Revoke these N tokens" behind a confirmation that sends the count it
 * showed, so that a selection that changed meanwhile revokes nothing.
 */
@Controller
class TokenInventoryPagesController {

	static final String PATH = "/admin/tokens";

	private static final int PAGE_SIZE = 25;

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private static final List<String> COLUMNS = List.of("owner", "createdAt", "expiresAt", "lastUsedAt");

	private final TokenInventory inventory;

	private final ResourceServices services;

	TokenInventoryPagesController(TokenInventory inventory, ResourceServices services) {
		this.inventory = inventory;
		this.services = services;
	}

	@GetMapping(PATH)
	String page(Authentication me, @ModelAttribute("filter") Filter filter,
			@RequestParam(required = false) Integer page, Model model) {
		Actor actor = Actors.of(me);
		model.addAttribute("services", this.services.all());
		model.addAttribute("rows", List.of());
		model.addAttribute("total", 0);
		model.addAttribute("live", 0);
		model.addAttribute("lastPage", 1);
		model.addAttribute("page", 1);
		model.addAttribute("sorts", Map.of());
		model.addAttribute("invalid", false);
		try {
			TokenSelection selection = filter.selection();
			TokenInventory.Overview overview = this.inventory.overview(selection,
					Page.Request.of((page != null) ? page : 1, PAGE_SIZE), actor);
			Page<TokenViews.Inventoried> shown = overview.page();
			model.addAttribute("rows", shown.items().stream().map(TokenInventoryPagesController::row).toList());
			model.addAttribute("total", shown.total());
			model.addAttribute("live", overview.live());
			model.addAttribute("page", shown.request().page());
			model.addAttribute("lastPage", shown.lastPage());
			model.addAttribute("sorts", sorts(filter, selection.sort()));
			model.addAttribute("csv", filter.link(PATH + "/export.csv", filter.sort(), null));
			model.addAttribute("previous", filter.link(PATH, filter.sort(), shown.request().page() - 1));
			model.addAttribute("next", filter.link(PATH, filter.sort(), shown.request().page() + 1));
		}
		catch (InvalidRequestException ex) {
			model.addAttribute("error", PortalProblems.describe(ex));
			model.addAttribute("invalid", true);
		}
		return "inventory";
	}

	@GetMapping(PATH + "/export.csv")
	ResponseEntity<byte[]> export(Authentication me, @ModelAttribute("filter") Filter filter) {
		return TokenCsv.download(this.inventory.export(filter.selection(), Actors.of(me)));
	}

	@PostMapping(PATH + "/revoke-selection")
	String revoke(Authentication me, @ModelAttribute("filter") Filter filter, @RequestParam int expectedCount,
			RedirectAttributes redirect) {
		try {
			int revoked = this.inventory.revoke(filter.selection(), expectedCount, Actors.of(me), "portal/tokens");
			redirect.addFlashAttribute("message", "Revoked " + revoked + " access token(s). Anything using them "
					+ "gets 401 from now on, and the tokens they were rotated into stop working too.");
		}
		catch (ConflictException ex) {
			redirect.addFlashAttribute("error", "The selection changed since it was counted: it no longer holds "
					+ expectedCount + " live token(s). Nothing was revoked; check the list and try again.");
		}
		catch (InvalidRequestException ex) {
			redirect.addFlashAttribute("error", PortalProblems.describe(ex));
		}
		return "redirect:" + filter.link(PATH, filter.sort(), null);
	}

	/**
	 * For each sortable column: the link that sorts by it (the other way if it already
	 * does), and its arrow.
	 */
	private static Map<String, Sorting> sorts(Filter filter, TokenSelection.Sort current) {
		Map<String, Sorting> sorts = new LinkedHashMap<>();
		for (String column : COLUMNS) {
			TokenSelection.Sort sort = TokenSelection.Sort.parse(column);
			boolean active = current.key() == sort.key();
			TokenSelection.Sort next = active ? current.reversed() : sort;
			sorts.put(column, new Sorting(filter.link(PATH, next.value(), null),
					active ? (current.descending() ? " ↓" : " ↑") : ""));
		}
		return sorts;
	}

	private static Row row(TokenViews.Inventoried token) {
		String status = switch (token.status()) {
			case "revoked" -> "revoked: " + token.revocationReason();
			default -> token.status();
		};
		return new Row(token.owner(), token.id(), token.hint(), token.description(),
				(token.audience() != null) ? String.join(", ", token.audience().stream().sorted().toList())
						: "any service",
				TIME.format(token.createdAt()), token.createdBy(), TIME.format(token.expiresAt()),
				(token.lastUsedAt() != null) ? TIME.format(token.lastUsedAt()) : "Never", token.lastUsedFrom(),
				token.status(), status);
	}

	/**
	 * The filters as the form sends them: names as typed, days as {@code yyyy-MM-dd} (or
	 * full instants), the states checked, the sort of the column clicked.
	 */
	record Filter(@Nullable String owner, @Nullable String createdBy, @Nullable String expiringBefore,
			@Nullable String unusedSince, @Nullable String audience, @Nullable List<String> state,
			@Nullable String sort) {

		/** The selection, or a 400-style problem naming the filter at fault. */
		TokenSelection selection() {
			return TokenSelection.parse(this.owner, this.createdBy, instant("expiringBefore", this.expiringBefore),
					instant("unusedSince", this.unusedSince), this.audience, this.state, this.sort);
		}

		public boolean checked(String state) {
			return this.state != null && this.state.contains(state);
		}

		/** A link to {@code path} with these filters, another sort, and a page. */
		String link(String path, @Nullable String sort, @Nullable Integer page) {
			UriComponentsBuilder link = UriComponentsBuilder.fromPath(path);
			add(link, "owner", this.owner);
			add(link, "createdBy", this.createdBy);
			add(link, "expiringBefore", this.expiringBefore);
			add(link, "unusedSince", this.unusedSince);
			add(link, "audience", this.audience);
			if (this.state != null) {
				this.state.stream()
					.filter((value) -> !value.isBlank())
					.forEach((value) -> link.queryParam("state", value));
			}
			add(link, "sort", sort);
			if (page != null) {
				link.queryParam("page", page);
			}
			return link.build().encode().toUriString();
		}

		private static void add(UriComponentsBuilder link, String name, @Nullable String value) {
			if (value != null && !value.isBlank()) {
				link.queryParam(name, value.strip());
			}
		}

		/**
		 * A day as the start of that day in UTC; anything longer as it is (an instant).
		 */
		private static @Nullable String instant(String field, @Nullable String value) {
			if (value == null || value.isBlank() || value.strip().length() != 10) {
				return value;
			}
			try {
				Instant start = LocalDate.parse(value.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
				return start.toString();
			}
			catch (DateTimeParseException ex) {
				throw new InvalidRequestException(field, "must be a day such as 2026-12-31");
			}
		}

	}

	/** How a column header sorts: its link and the arrow it shows. */
	record Sorting(String link, String arrow) {
	}

	/** A token as the inventory table shows it. */
	record Row(String owner, String id, String hint, @Nullable String description, String audience, String createdAt,
			String createdBy, String expiresAt, String lastUsedAt, @Nullable String lastUsedFrom, String status,
			String statusText) {
	}

}
