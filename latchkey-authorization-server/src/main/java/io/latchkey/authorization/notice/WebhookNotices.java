package io.latchkey.authorization.notice;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;

/**
 * Notices (of expiry, unused tokens about to be revoked, token requests, new addresses,
 * tokens reported as leaked) as a signed webhook: a JSON {@code POST} to the configured
 * URL with {@code X-Latchkey-Signature: sha256=<hex>}, the HMAC-SHA256 with the shared
 * secret of {@code <X-Latchkey-Timestamp>.<body>} (a receiver recomputes it and refuses
 * old timestamps), and {@code X-Latchkey-Delivery}, the same id on every retry so that a
 * receiver can drop duplicates. A failure (no answer within 10 seconds, or any status but
 * 2xx) is retried with exponential backoff; redirects are not followed.
 */
public final class WebhookNotices implements NoticeChannel {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final URI url;

	private final byte[] secret;

	private final RestClient client;

	private final RetryTemplate retries;

	private final JsonMapper json = JsonMapper.builder().build();

	private final Clock clock;

	public WebhookNotices(URI url, String secret, int maxAttempts, Duration backoff, Clock clock) {
		Assert.notNull(url, "url cannot be null");
		Assert.hasText(secret, "secret cannot be empty");
		Assert.isTrue(maxAttempts > 0, "maxAttempts must be positive");
		this.url = url;
		this.secret = secret.getBytes(StandardCharsets.UTF_8);
		this.clock = clock;
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build());
		requests.setReadTimeout(TIMEOUT);
		this.client = RestClient.builder().requestFactory(requests).build();
		this.retries = new RetryTemplate(RetryPolicy.builder()
			.maxRetries(maxAttempts - 1)
			.delay(backoff)
			.multiplier(2)
			.maxDelay(backoff.multipliedBy(16))
			.build());
	}

	@Override
	public String deliver(ExpiryNotice notice) throws RetryException {
		return post(this.json.writeValueAsString(payload(notice)));
	}

	@Override
	public String deliver(RequestNotice notice) throws RetryException {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("id", notice.requestId());
		request.put("requester", notice.requester());
		request.put("description", notice.description());
		request.put("rights", new TreeSet<>(notice.rights()));
		request.put("because", notice.because());
		request.put("decided_by", notice.decidedBy());
		request.put("reason", notice.reason());
		request.put("claim_by", (notice.claimBy() != null) ? notice.claimBy().toString() : null);
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("type", notice.type());
		payload.put("request", request);
		payload.put("sent_at", this.clock.instant().toString());
		return post(this.json.writeValueAsString(payload));
	}

	@Override
	public String deliver(NewAddressNotice notice) throws RetryException {
		Map<String, Object> token = token(notice.tokenId(), notice.hint(), notice.description(), notice.owner(),
				notice.createdBy());
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("type", NewAddressNotice.TYPE);
		payload.put("address", notice.address());
		payload.put("network", notice.network());
		payload.put("used_at", notice.usedAt().toString());
		payload.put("token", token);
		payload.put("sent_at", this.clock.instant().toString());
		return post(this.json.writeValueAsString(payload));
	}

	@Override
	public String deliver(LeakNotice notice) throws RetryException {
		return post(this.json.writeValueAsString(payload(notice)));
	}

	@Override
	public String deliver(UnusedNotice notice) throws RetryException {
		return post(this.json.writeValueAsString(payload(notice)));
	}

	private String post(String body) throws RetryException {
		String delivery = UUID.randomUUID().toString();
		this.retries.execute(() -> {
			String timestamp = Long.toString(this.clock.instant().getEpochSecond());
			this.client.post()
				.uri(this.url)
				.contentType(MediaType.APPLICATION_JSON)
				.header("X-Latchkey-Delivery", delivery)
				.header("X-Latchkey-Timestamp", timestamp)
				.header("X-Latchkey-Signature", "sha256=" + sign(timestamp + "." + body))
				.body(body)
				.retrieve()
				.toBodilessEntity();
			return null;
		});
		return "webhook";
	}

	private Map<String, Object> payload(ExpiryNotice notice) {
		Map<String, Object> token = token(notice.tokenId(), notice.hint(), notice.description(), notice.owner(),
				notice.createdBy());
		token.put("expires_at", notice.expiresAt().toString());
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("type", notice.type());
		payload.put("days_before", notice.daysBefore());
		payload.put("token", token);
		payload.put("sent_at", this.clock.instant().toString());
		return payload;
	}

	private Map<String, Object> payload(LeakNotice notice) {
		Map<String, Object> token = token(notice.tokenId(), notice.hint(), notice.description(), notice.owner(),
				notice.createdBy());
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("type", notice.type());
		payload.put("source", notice.source());
		payload.put("url", notice.url());
		payload.put("revoked_at", notice.revokedAt().toString());
		payload.put("token", token);
		payload.put("sent_at", this.clock.instant().toString());
		return payload;
	}

	private Map<String, Object> payload(UnusedNotice notice) {
		Map<String, Object> token = token(notice.tokenId(), notice.hint(), notice.description(), notice.owner(),
				notice.createdBy());
		token.put("last_used_at", (notice.lastUsedAt() != null) ? notice.lastUsedAt().toString() : null);
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("type", notice.type());
		payload.put("days_before", notice.before().toDays());
		payload.put("revokes_at", notice.revokesAt().toString());
		payload.put("token", token);
		payload.put("sent_at", this.clock.instant().toString());
		return payload;
	}

	/**
	 * What every payload says of the token it is about, never its value; a payload adds
	 * what its notice knows more (an expiry, a last use).
	 */
	private static Map<String, Object> token(String id, String hint, @Nullable String description, String owner,
			String createdBy) {
		Map<String, Object> token = new LinkedHashMap<>();
		token.put("id", id);
		token.put("hint", hint);
		token.put("description", description);
		token.put("owner", owner);
		token.put("created_by", createdBy);
		return token;
	}

	/** The hex HMAC-SHA256 of {@code content} with the shared secret. */
	String sign(String content) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.secret, "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HmacSHA256 is required by every Java platform", ex);
		}
	}

}
