package io.latchkey.auth.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** RFC 9457 bodies written by the security filters, before any controller is involved. */
final class ProblemResponses {

	static final String RETRY_AFTER_SECONDS = "5";

	private ProblemResponses() {
	}

	/** Writes a problem; {@code detail} is one of our constant sentences, never request input. */
	static void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		String body = "{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
				+ status.value() + ",\"detail\":\"" + detail + "\"}";
		response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
	}

	static void storageUnavailable(HttpServletResponse response) throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
		write(response, HttpStatus.SERVICE_UNAVAILABLE, "The token store is unavailable; try again shortly");
	}

	/** Whether a failure was caused by Redis being unreachable or failing. */
	static boolean isStorageFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessException) {
				return true;
			}
		}
		return false;
	}

}
