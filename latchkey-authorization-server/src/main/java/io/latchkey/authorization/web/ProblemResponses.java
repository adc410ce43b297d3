package io.latchkey.authorization.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.latchkey.authorization.error.Rule;
import io.latchkey.core.Causes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** RFC 9457 bodies written by the security filters, before any controller is involved. */
final class ProblemResponses {

	static final String RETRY_AFTER_SECONDS = "5";

	private ProblemResponses() {
	}

	/**
	 * Writes a problem; {@code detail} is one of our constant sentences, never request
	 * input.
	 */
	static void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
		write(response, status, detail, null);
	}

	/** Writes a problem that names the {@link Rule} refusing the request, if one does. */
	static void write(HttpServletResponse response, HttpStatus status, String detail, @Nullable Rule rule)
			throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		String title = (rule != null) ? rule.title() : status.getReasonPhrase();
		String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status.value()
				+ ",\"detail\":\"" + detail + "\"" + ((rule != null) ? ",\"rule\":\"" + rule.code() + "\"" : "") + "}";
		response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
	}

	/** 429 with {@code Retry-After}: too many failed attempts lately. */
	static void throttled(HttpServletResponse response, long retryAfterSeconds) throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
		write(response, HttpStatus.TOO_MANY_REQUESTS,
				"Too many failed attempts; try again in " + retryAfterSeconds + " seconds");
	}

	/**
	 * 503 with {@code Retry-After}: a problem, or a small page for a browser that asked
	 * for HTML.
	 */
	static void storageUnavailable(HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		if (accept != null && accept.contains(MediaType.TEXT_HTML_VALUE)) {
			response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
			response.setContentType(MediaType.TEXT_HTML_VALUE + ";charset=UTF-8");
			response.getOutputStream()
				.write(("<!DOCTYPE html><html lang=\"en\"><head><title>Latchkey: unavailable</title></head><body>"
						+ "<h1>Latchkey is unavailable</h1><p id=\"unavailable\">The service is unavailable right now "
						+ "(its store cannot be reached). Try again in a few seconds.</p></body></html>")
					.getBytes(StandardCharsets.UTF_8));
			return;
		}
		write(response, HttpStatus.SERVICE_UNAVAILABLE, "The token store is unavailable; try again shortly");
	}

	/** Whether a failure was caused by Redis being unreachable or failing. */
	static boolean isStorageFailure(Throwable failure) {
		return Causes.isCausedBy(failure, DataAccessException.class);
	}

}
