package io.latchkey.authorization.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

import io.latchkey.authorization.token.TokenInventory;
import io.latchkey.authorization.token.TokenViews;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The credentials inventory as CSV (RFC 4180): a header row, then one row per token,
 * lines ending in CRLF. A cell holding a comma, a quote or a line break is quoted (quotes
 * doubled); a cell that a spreadsheet would take for a formula (starting with {@code =},
 * {@code +}, {@code -}, {@code @}, a tab or a carriage return) gets a leading apostrophe
 * (OWASP's CSV injection advice). Only the hint of a token is written: its value is not
 * stored anywhere. Scopes and audience are space-separated; empty scopes mean all of the
 * owner's rights, an empty audience any service.
 */
public final class TokenCsv {

	/** The name a download of it gets. */
	public static final String FILENAME = "latchkey-tokens.csv";

	static final List<String> HEADER = List.of("owner", "id", "hint", "description", "scopes", "audience", "createdAt",
			"createdBy", "expiresAt", "lastUsedAt", "lastUsedFrom", "status", "revocationReason");

	private TokenCsv() {
	}

	/**
	 * The tokens as CSV, header row first.
	 * @param tokens the tokens, in order
	 * @return the CSV text
	 */
	public static String of(List<TokenViews.Inventoried> tokens) {
		StringBuilder csv = new StringBuilder();
		row(csv, HEADER);
		for (TokenViews.Inventoried token : tokens) {
			row(csv, List.of(token.owner(), token.id(), token.hint(), text(token.description()), words(token.scopes()),
					words(token.audience()), time(token.createdAt()), token.createdBy(), time(token.expiresAt()),
					time(token.lastUsedAt()), text(token.lastUsedFrom()), token.status(),
					text(token.revocationReason())));
		}
		return csv.toString();
	}

	/**
	 * An export as a download: {@code text/csv} in UTF-8, an attachment, never stored by
	 * a cache, {@code X-Total-Count} saying how many tokens the selection holds (more
	 * than the rows when the export was capped).
	 * @param export the rows and the size of the selection
	 * @return the answer
	 */
	public static ResponseEntity<byte[]> download(TokenInventory.Export export) {
		HttpHeaders headers = NoStore.headers();
		headers.setContentType(new MediaType("text", "csv", StandardCharsets.UTF_8));
		headers.setContentDisposition(ContentDisposition.attachment().filename(FILENAME).build());
		headers.set("X-Total-Count", Integer.toString(export.total()));
		return ResponseEntity.ok().headers(headers).body(of(export.rows()).getBytes(StandardCharsets.UTF_8));
	}

	/** One cell, safe for a spreadsheet and quoted where RFC 4180 needs it. */
	static String cell(String value) {
		String safe = value;
		if (!safe.isEmpty() && "=+-@\t\r".indexOf(safe.charAt(0)) >= 0) {
			safe = "'" + safe;
		}
		if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
			return "\"" + safe.replace("\"", "\"\"") + "\"";
		}
		return safe;
	}

	private static void row(StringBuilder csv, List<String> cells) {
		for (int i = 0; i < cells.size(); i++) {
			if (i > 0) {
				csv.append(',');
			}
			csv.append(cell(cells.get(i)));
		}
		csv.append("\r\n");
	}

	private static String text(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private static String time(@Nullable Instant value) {
		return (value != null) ? value.toString() : "";
	}

	private static String words(@Nullable Collection<String> values) {
		return (values != null) ? String.join(" ", new TreeSet<>(values)) : "";
	}

}
