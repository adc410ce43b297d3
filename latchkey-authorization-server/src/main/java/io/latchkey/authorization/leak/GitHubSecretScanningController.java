package io.latchkey.authorization.leak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.latchkey.authorization.error.InvalidRequestException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/secret-scanning/github}: GitHub's secret scanning partner program
 * reports tokens it found in public places, {@code [{"token": "lkp_…", "type":
 * "latchkey_pat", "url": "https://…", "source": "content"}]}, signed with
 * {@code Github-Public-Key-Identifier} and {@code Github-Public-Key-Signature} (see
 * {@link GitHubKeys}). A missing or wrong signature, or an unknown key, gets 401 (with a
 * {@code WWW-Authenticate} challenge naming those headers) and nothing is looked at. Each
 * of ours is revoked with its rotation chain before the answer, and its owner is told,
 * with the URL, off the request thread, once (a token revoked by a concurrent report is
 * still labelled ours, and its owner told by that report). The answer labels each token,
 * {@code [{"token_raw": "lkp_…", "token_type": "latchkey_pat", "label":
 * "true_positive"}]}: {@code true_positive} when its record existed (live, or expired and
 * still kept, also when a concurrent report revoked it first), {@code false_positive}
 * otherwise: a string we never issued, one failing the checksum, or one revoked before
 * (Latchkey keeps no digest of a revoked token, so it cannot tell those apart, and does
 * not try). The answer echoes each token to GitHub, as GitHub's protocol asks; it is
 * written as raw bytes, so that no framework log line holds it.
 *
 * @since 0.1
 */
@RestController
public class GitHubSecretScanningController {

	/** Where GitHub posts its reports. */
	public static final String PATH = "/api/secret-scanning/github";

	/** The header naming GitHub's signing key. */
	public static final String KEY_ID = "Github-Public-Key-Identifier";

	/** The header holding GitHub's signature of the body. */
	public static final String SIGNATURE = "Github-Public-Key-Signature";

	/** The most tokens one report may hold. */
	public static final int MAX_MATCHES = 1000;

	/**
	 * The challenge of a 401: HTTP has no scheme for GitHub's signatures, so it names
	 * GitHub's own, and the headers it needs.
	 */
	static final String CHALLENGE = "Github-Public-Key-Signature realm=\"latchkey\", headers=\"" + KEY_ID + " "
			+ SIGNATURE + "\"";

	private static final int MAX_URL_LENGTH = 2048;

	private static final int MAX_TYPE_LENGTH = 100;

	private final GitHubKeys keys;

	private final LeakReports reports;

	private final String tokenType;

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * @param keys GitHub's signing keys
	 * @param reports acts on reports
	 * @param tokenType the token type this deployment registered with GitHub, answered
	 * when a report names none
	 */
	public GitHubSecretScanningController(GitHubKeys keys, LeakReports reports, String tokenType) {
		Assert.notNull(keys, "keys cannot be null");
		Assert.notNull(reports, "reports cannot be null");
		Assert.hasText(tokenType, "tokenType cannot be empty");
		this.keys = keys;
		this.reports = reports;
		this.tokenType = tokenType;
	}

	@PostMapping(PATH)
	ResponseEntity<Object> report(@RequestHeader(name = KEY_ID, required = false) @Nullable String keyId,
			@RequestHeader(name = SIGNATURE, required = false) @Nullable String signature,
			@RequestBody(required = false) byte @Nullable [] body) {
		byte[] raw = (body != null) ? body : new byte[0];
		if (keyId == null || signature == null || !this.keys.verify(keyId, raw, signature)) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
					"A report needs the headers " + KEY_ID + " and " + SIGNATURE
							+ " with GitHub's valid signature of the body");
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
				.header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
				.body(problem);
		}
		List<Match> matches = matches(raw);
		Set<String> ours = this.reports
			.revokeFound(matches.stream().map((match) -> new LeakReports.Found(match.token(), match.url())).toList());
		List<Map<String, String>> labels = new ArrayList<>(matches.size());
		for (Match match : matches) {
			boolean found = ours.contains(match.token());
			Map<String, String> label = new LinkedHashMap<>();
			label.put("token_raw", match.token());
			label.put("token_type", match.type());
			label.put("label", found ? "true_positive" : "false_positive");
			labels.add(label);
		}
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.noStore())
			.body(this.json.writeValueAsBytes(labels));
	}

	private List<Match> matches(byte[] body) {
		JsonNode list;
		try {
			list = this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new InvalidRequestException("body", "must be a JSON array of {\"token\", \"type\", \"url\"}");
		}
		if (list == null || !list.isArray()) {
			throw new InvalidRequestException("body", "must be a JSON array of {\"token\", \"type\", \"url\"}");
		}
		if (list.size() > MAX_MATCHES) {
			throw new InvalidRequestException("body", "must hold at most " + MAX_MATCHES + " tokens");
		}
		List<Match> matches = new ArrayList<>(list.size());
		for (int i = 0; i < list.size(); i++) {
			JsonNode match = list.get(i);
			String token = string(match, i, "token", CredentialRevocationController.MAX_LENGTH, true);
			String type = string(match, i, "type", MAX_TYPE_LENGTH, false);
			String url = string(match, i, "url", MAX_URL_LENGTH, false);
			matches.add(new Match(token, (type != null) ? type : this.tokenType, url));
		}
		return matches;
	}

	private static @Nullable String string(JsonNode match, int index, String name, int maxLength, boolean required) {
		JsonNode value = match.path(name);
		if (value.isMissingNode() || value.isNull()) {
			if (required) {
				throw new InvalidRequestException("[" + index + "]." + name, "is required");
			}
			return null;
		}
		if (!value.isString() || value.asString().length() > maxLength) {
			throw new InvalidRequestException("[" + index + "]." + name,
					"must be a string of at most " + maxLength + " characters");
		}
		return value.asString();
	}

	/** One token GitHub found: the string, its type, and where. */
	private record Match(String token, String type, @Nullable String url) {
	}

}
