package io.latchkey.auth.system;

import org.springframework.http.HttpStatus;

/**
 * A request the API refuses, turned into an RFC 9457 problem by {@link ProblemAdvice}. When
 * {@code field} is set, the problem names the request field at fault.
 */
public class ApiException extends RuntimeException {

	private final HttpStatus status;

	private final String field;

	private ApiException(HttpStatus status, String field, String detail) {
		super(detail);
		this.status = status;
		this.field = field;
	}

	public static ApiException badField(String field, String detail) {
		return new ApiException(HttpStatus.BAD_REQUEST, field, detail);
	}

	public static ApiException forbidden(String detail) {
		return new ApiException(HttpStatus.FORBIDDEN, null, detail);
	}

	public static ApiException notFound(String detail) {
		return new ApiException(HttpStatus.NOT_FOUND, null, detail);
	}

	public static ApiException conflict(String detail) {
		return new ApiException(HttpStatus.CONFLICT, null, detail);
	}

	public HttpStatus status() {
		return this.status;
	}

	public String field() {
		return this.field;
	}

}
