package io.latchkey.authorization.web;

import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.event.AuditTrail;
import io.latchkey.authorization.support.Page;
import io.latchkey.authorization.support.Text;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The audit log, newest first ({@code GET /api/audit}, needs {@code audit.read}):
 * filtered by user, actor, event type and time, a page at a time with a cursor in the
 * {@code Link} header ({@code rel="next"}); with {@code Accept: application/x-ndjson}
 * every matching record is streamed, one JSON object per line, for a SIEM. Records hold
 * token ids and hints, never token values or passwords.
 */
@RestController
public class AuditController {

	/** The media type of newline-delimited JSON. */
	public static final String NDJSON = "application/x-ndjson";

	/**
	 * The longest value a filter ({@code user}, {@code actor}, {@code type}) may have.
	 */
	private static final int MAX_FILTER = 100;

	private final AuditTrail audit;

	private final JsonMapper json;

	public AuditController(AuditTrail audit, JsonMapper json) {
		Assert.notNull(audit, "audit cannot be null");
		Assert.notNull(json, "json cannot be null");
		this.audit = audit;
		this.json = json;
	}

	@GetMapping(path = "/api/audit", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<List<Map<String, String>>> page(@RequestParam(required = false) String user,
			@RequestParam(required = false) String actor, @RequestParam(required = false) String type,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
		int size = Page.Request.of(1, limit).size();
		AuditTrail.Query query = query(user, actor, type, from, to, cursor, size);
		AuditTrail.Page page = this.audit.read(query);
		ResponseEntity.BodyBuilder response = ResponseEntity.ok();
		if (page.next() != null) {
			response.header(HttpHeaders.LINK, "<" + nextPage(query, page.next()) + ">; rel=\"next\"");
		}
		return response.body(page.records());
	}

	@GetMapping(path = "/api/audit", produces = NDJSON)
	ResponseEntity<StreamingResponseBody> stream(@RequestParam(required = false) String user,
			@RequestParam(required = false) String actor, @RequestParam(required = false) String type,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String cursor) {
		AuditTrail.Query first = query(user, actor, type, from, to, cursor, Page.Request.MAX_SIZE);
		AuditTrail.Page firstPage = this.audit.read(first);
		StreamingResponseBody body = (OutputStream out) -> {
			AuditTrail.Page page = firstPage;
			while (true) {
				for (Map<String, String> record : page.records()) {
					out.write(this.json.writeValueAsBytes(record));
					out.write('\n');
				}
				out.flush();
				if (page.next() == null) {
					return;
				}
				page = this.audit.read(new AuditTrail.Query(first.user(), first.actor(), first.type(), first.from(),
						first.to(), page.next(), first.limit()));
			}
		};
		return ResponseEntity.ok().contentType(MediaType.parseMediaType(NDJSON + ";charset=UTF-8")).body(body);
	}

	/**
	 * The next page's link: the known filters, validated and bounded, and the cursor;
	 * nothing else.
	 */
	private static String nextPage(AuditTrail.Query query, String cursor) {
		UriComponentsBuilder next = ServletUriComponentsBuilder.fromCurrentRequestUri().replaceQuery(null);
		addIfSet(next, "user", query.user());
		addIfSet(next, "actor", query.actor());
		addIfSet(next, "type", query.type());
		addIfSet(next, "from", (query.from() != null) ? query.from().toString() : null);
		addIfSet(next, "to", (query.to() != null) ? query.to().toString() : null);
		return next.queryParam("limit", query.limit()).queryParam("cursor", cursor).encode().build().toUriString();
	}

	private static void addIfSet(UriComponentsBuilder uri, String name, @Nullable String value) {
		if (value != null) {
			uri.queryParam(name, value);
		}
	}

	private static AuditTrail.Query query(@Nullable String user, @Nullable String actor, @Nullable String type,
			@Nullable String from, @Nullable String to, @Nullable String cursor, int limit) {
		if (cursor != null && !cursor.matches("\\d{1,20}-\\d{1,20}")) {
			throw new InvalidRequestException("cursor", "is not a cursor from a previous page's Link header");
		}
		return new AuditTrail.Query(bounded("user", user), bounded("actor", actor), bounded("type", type),
				instant("from", from), instant("to", to), cursor, limit);
	}

	/**
	 * A filter value, at most {@value #MAX_FILTER} characters (a 400 naming it
	 * otherwise).
	 */
	private static @Nullable String bounded(String field, @Nullable String value) {
		if (value != null && value.length() > MAX_FILTER) {
			throw new InvalidRequestException(field, "must be at most " + MAX_FILTER + " characters");
		}
		return Text.blankToNull(value);
	}

	private static @Nullable Instant instant(String field, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidRequestException(field, "must be an ISO-8601 instant such as 2026-11-23T10:00:00Z");
		}
	}

}
