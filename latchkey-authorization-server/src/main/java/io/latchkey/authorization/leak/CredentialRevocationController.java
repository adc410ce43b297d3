package io.latchkey.authorization.leak;

import java.util.ArrayList;
import java.util.List;

import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.support.RemoteAddress;
import io.latchkey.authorization.throttle.AddressRate;
import io.latchkey.authorization.throttle.ThrottledException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/credentials/revoke}: anyone may report leaked tokens, without signing
 * in (GitHub's Credential Revocation API shape): {@code {"credentials": ["lkp_…", …]}},
 * at most {@value #MAX_CREDENTIALS} strings of at most {@value #MAX_LENGTH} characters
 * each. The answer is 202 with no body, whatever the strings are (ours, unknown,
 * malformed), and it comes as fast either way: the request is only validated and queued,
 * and the lookups, revocations and notices happen off the request thread. Requests are
 * throttled per client address (429 with {@code Retry-After}); a full queue answers 503
 * with {@code Retry-After}, whatever the strings, and nothing of the report is kept.
 *
 * @since 0.1
 */
@RestController
public class CredentialRevocationController {

	/** Where reports are posted. */
	public static final String PATH = "/api/credentials/revoke";

	/** The most strings one report may hold (GitHub's limit). */
	public static final int MAX_CREDENTIALS = 1000;

	/** The longest string a report may hold (a token is at most 47 characters). */
	public static final int MAX_LENGTH = 256;

	private static final String FIELD = "credentials";

	private static final String RETRY_AFTER_SECONDS = "5";

	private final LeakReports reports;

	private final AddressRate rate;

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * @param reports acts on reports
	 * @param rate reports allowed per client address
	 */
	public CredentialRevocationController(LeakReports reports, AddressRate rate) {
		Assert.notNull(reports, "reports cannot be null");
		Assert.notNull(rate, "rate cannot be null");
		this.reports = reports;
		this.rate = rate;
	}

	/**
	 * The raw body, read here rather than bound, so that no framework log line ever holds
	 * the reported strings and every malformed body names the field.
	 */
	@PostMapping(PATH)
	ResponseEntity<Object> revoke(@RequestBody(required = false) byte @Nullable [] body) {
		this.rate.take(RemoteAddress.current());
		List<String> credentials = credentials(body);
		if (!this.reports.report(credentials)) {
			ProblemDetail busy = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
					"Too many reports are waiting; send this one again in a few seconds");
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
				.body(busy);
		}
		return ResponseEntity.accepted().build();
	}

	/** 429 with {@code Retry-After}: too many reports from this address lately. */
	@ExceptionHandler
	ResponseEntity<Object> throttled(ThrottledException ex) {
		long seconds = ex.retryAfterSeconds();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
				"Too many reports from this address; try again in " + seconds + " seconds");
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
			.body(problem);
	}

	private List<String> credentials(byte @Nullable [] body) {
		if (body == null || body.length == 0) {
			throw invalid("is required: send {\"credentials\": [\"<token>\", …]}");
		}
		JsonNode list;
		try {
			list = this.json.readTree(body).path(FIELD);
		}
		catch (JacksonException ex) {
			throw invalid("is required: the body is not valid JSON; send {\"credentials\": [\"<token>\", …]}");
		}
		if (!list.isArray()) {
			throw invalid("is required, an array of strings");
		}
		if (list.size() > MAX_CREDENTIALS) {
			throw invalid("must hold at most " + MAX_CREDENTIALS + " strings");
		}
		List<String> credentials = new ArrayList<>(list.size());
		for (JsonNode credential : list) {
			if (!credential.isString() || credential.asString().length() > MAX_LENGTH) {
				throw invalid("must hold strings of at most " + MAX_LENGTH + " characters");
			}
			credentials.add(credential.asString());
		}
		return credentials;
	}

	private static InvalidRequestException invalid(String message) {
		return new InvalidRequestException(FIELD, message);
	}

}
