package io.latchkey.auth.portal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.latchkey.authorization.directory.UserService;
import io.latchkey.authorization.event.AuditTrail;
import io.latchkey.authorization.support.Page;
import io.latchkey.authorization.support.Text;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Configuration › Audit log, and the Activity tab of each user's page (needs
 * {@code audit.read}): the audit log newest first, with the API's filters (user, actor,
 * event type, days) and a "Next" link that carries the cursor.
 */
@Controller
class AuditPagesController {

	private static final int PAGE_SIZE = 50;

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	private static final List<String> HIDDEN = List.of("id", "type", "actor", "at");

	private final AuditTrail audit;

	private final UserService users;

	AuditPagesController(AuditTrail audit, UserService users) {
		this.audit = audit;
		this.users = users;
	}

	@GetMapping("/admin/audit")
	String audit(@RequestParam(required = false) String user, @RequestParam(required = false) String actor,
			@RequestParam(required = false) String type, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(required = false) String cursor, Model model) {
		model.addAttribute("activityOf", null);
		return page(Text.blankToNull(user), actor, type, from, to, cursor, model);
	}

	@GetMapping("/admin/users/{username}/activity")
	String activity(@PathVariable String username, @RequestParam(required = false) String type,
			@RequestParam(required = false) String cursor, Model model) {
		String user = this.users.find(username).username();
		model.addAttribute("activityOf", user);
		return page(user, null, type, null, null, cursor, model);
	}

	private String page(@Nullable String user, @Nullable String actor, @Nullable String type, @Nullable String from,
			@Nullable String to, @Nullable String cursor, Model model) {
		model.addAttribute("filter", new Filter(user, Text.blankToNull(actor), Text.blankToNull(type),
				Text.blankToNull(from), Text.blankToNull(to)));
		String problem = null;
		AuditTrail.Page page = new AuditTrail.Page(List.of(), null);
		try {
			page = this.audit.read(new AuditTrail.Query(user, Text.blankToNull(actor), Text.blankToNull(type),
					day(from, 0), day(to, 1), validCursor(cursor), PAGE_SIZE));
		}
		catch (IllegalArgumentException ex) {
			problem = ex.getMessage();
		}
		model.addAttribute("error", problem);
		model.addAttribute("rows", page.records().stream().map(AuditPagesController::row).toList());
		model.addAttribute("next", page.next());
		return "audit";
	}

	private static Row row(Map<String, String> record) {
		String at;
		try {
			at = TIME.format(Instant.parse(record.getOrDefault("at", "")));
		}
		catch (DateTimeParseException ex) {
			at = record.getOrDefault("at", "");
		}
		String details = record.entrySet()
			.stream()
			.filter((field) -> !HIDDEN.contains(field.getKey()))
			.map((field) -> field.getKey() + "=" + field.getValue())
			.collect(Collectors.joining(" · "));
		return new Row(at, record.getOrDefault("type", ""), record.getOrDefault("actor", ""), details);
	}

	/**
	 * A day (yyyy-MM-dd, UTC) as the start of that day plus {@code plusDays}; a bad one
	 * is a problem to show.
	 */
	private static @Nullable Instant day(@Nullable String value, int plusDays) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return LocalDate.parse(value.strip()).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("Dates are written as 2026-11-23.");
		}
	}

	private static @Nullable String validCursor(@Nullable String cursor) {
		if (cursor == null || cursor.isBlank()) {
			return null;
		}
		if (!cursor.matches("\\d{1,20}-\\d{1,20}")) {
			throw new IllegalArgumentException("That page link is not valid: start again from the first page.");
		}
		return cursor;
	}

	/** The filters as the form shows them. */
	record Filter(@Nullable String user, @Nullable String actor, @Nullable String type, @Nullable String from,
			@Nullable String to) {
	}

	/** One audit record as the table shows it. */
	record Row(String at, String type, String actor, String details) {
	}

}
