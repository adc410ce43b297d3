package io.latchkey.auth.leak;

import java.net.InetAddress;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.mail.internet.MimeMessage;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Eventually;
import io.latchkey.auth.Http;
import io.latchkey.auth.Loopback;
import io.latchkey.auth.Mailbox;
import io.latchkey.auth.WebhookReceiver;
import io.latchkey.authorization.leak.CredentialRevocationController;
import io.latchkey.testsupport.CapturedLogs;
import io.latchkey.testsupport.SecretScanningKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leaked tokens reported from outside, over real HTTP with real receivers (GreenMail, an
 * HTTP webhook receiver) and GitHub's signing keys made by the test itself: GitHub's
 * signed reports revoke ours and tell their owners with the URL, unsigned or wrongly
 * signed ones revoke nothing; anyone's public report revokes, tells and audits, answers
 * the same bytes whatever the strings were, and is throttled per address.
 */
class LeakReportTests extends AuthServerTestBase {

	private static final String WEBHOOK_SECRET = "leak-webhook-secret";

	private static final String KEY_ID = "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a";

	private static final String FETCHED_KEY_ID = "bcb53661c06b4728e59d897fb6165d5c9cda0fd9cdf9d09ead458168deb7518c";

	private static final int REPORTS_PER_ADDRESS = 5;

	private static final KeyPair github = SecretScanningKeys.generate();

	private static final KeyPair fetchedKey = SecretScanningKeys.generate();

	private static final KeyPair stranger = SecretScanningKeys.generate();

	@RegisterExtension
	static final Mailbox mailbox = Mailbox.start();

	private static final ConcurrentLinkedQueue<String> metaFetches = new ConcurrentLinkedQueue<>();

	@RegisterExtension
	static final WebhookReceiver receiver = startReceiver();

	@DynamicPropertySource
	static void leakReports(DynamicPropertyRegistry registry) {
		registry.add("latchkey.redis.key-prefix", () -> KEY_PREFIX + "-leaks");
		mailbox.register(registry);
		receiver.register(registry, WEBHOOK_SECRET);
		registry.add("latchkey.notices.webhook.backoff", () -> "10ms");
		registry.add("latchkey.leak-reports.requests-per-address", () -> REPORTS_PER_ADDRESS);
		registry.add("latchkey.secret-scanning.github.keys." + KEY_ID,
				() -> SecretScanningKeys.pem(github.getPublic()));
		registry.add("latchkey.secret-scanning.github.keys-url",
				() -> receiver.url("/meta/public_keys/secret_scanning"));
	}

	@Test
	void githubReportWhenSignedWithItsKeyThenOursRevokedAndOwnerToldWithTheUrl() throws Exception {
		String user = newUserWithEmail();
		JsonNode ours = generateToken(user, Map.of("description", "CI deploy"));
		String token = ours.get("token").asString();
		String unknown = otherWellFormed(token);
		String url = "https://github.com/octo/leaky/blob/" + UUID.randomUUID() + "/.env";
		String body = JsonMapper.builder()
			.build()
			.writeValueAsString(List.of(match(token, url), match(unknown, url), match("lkp_malformed", url)));

		Http.Response answer = github(body, KEY_ID, SecretScanningKeys.sign(github.getPrivate(), body)).send();

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(answer.header("Content-Type")).startsWith("application/json");
		JsonNode labels = answer.json();
		assertThat(labels).hasSize(3);
		assertThat(labels.get(0).get("token_raw").asString()).isEqualTo(token);
		assertThat(labels.get(0).get("token_type").asString()).isEqualTo("latchkey_pat");
		assertThat(labels.get(0).get("label").asString()).isEqualTo("true_positive");
		assertThat(labels.get(1).get("label").asString()).isEqualTo("false_positive");
		assertThat(labels.get(2).get("label").asString()).isEqualTo("false_positive");
		assertThat(introspect(token).body()).as("revoked before the answer").isEqualTo("{\"active\":false}");

		MimeMessage mail = Eventually.found("the owner's mail", () -> mailbox.about(user)).get(0);
		String text = String.valueOf(mail.getContent());
		assertThat(mail.getSubject()).isEqualTo("Access token \"CI deploy\" (" + ours.get("hint").asString()
				+ ") was reported as leaked and has been revoked");
		assertThat(text).contains("Reported by: GitHub secret scanning", "Found at:    " + url).doesNotContain(token);
		WebhookReceiver.Delivery delivery = Eventually.found("the webhook", () -> receiver.about(user)).get(0);
		JsonNode payload = JsonMapper.builder().build().readTree(delivery.body());
		assertThat(payload.get("type").asString()).isEqualTo("token.reported");
		assertThat(payload.get("source").asString()).isEqualTo("GitHub secret scanning");
		assertThat(payload.get("url").asString()).isEqualTo(url);
		assertThat(payload.get("token").get("id").asString()).isEqualTo(ours.get("id").asString());
		assertThat(delivery.body()).doesNotContain(token);

		JsonNode revoked = auditOf(user, "token.revoked");
		assertThat(revoked.get("reason").asString()).isEqualTo("reported");
		assertThat(revoked.get("via").asString()).isEqualTo("api/secret-scanning/github");
		assertThat(listed(user, ours.get("id").asString()).get("revocationReason").asString()).isEqualTo("reported");
		assertThat(CapturedLogs.events()).noneMatch((event) -> event.contains(token) || event.contains(unknown));
	}

	@Test
	void githubReportWhenSignatureMissingWrongOrKeyUnknownThen401AndNothingRevoked() {
		String user = newUser();
		String token = tokenFor(user);
		String body = JsonMapper.builder().build().writeValueAsString(List.of(match(token, null)));
		String signature = SecretScanningKeys.sign(github.getPrivate(), body);

		assertThat(github(body, null, null).send().status()).as("no headers").isEqualTo(401);
		assertThat(github(body, KEY_ID, null).send().status()).as("no signature").isEqualTo(401);
		assertThat(github(body, null, signature).send().status()).as("no key id").isEqualTo(401);
		assertThat(github(body, KEY_ID, SecretScanningKeys.sign(stranger.getPrivate(), body)).send().status())
			.as("signed by another key")
			.isEqualTo(401);
		assertThat(github(body + " ", KEY_ID, signature).send().status()).as("the body changed after signing")
			.isEqualTo(401);
		assertThat(github(body, "unknown-" + UUID.randomUUID(), signature).send().status()).as("an unknown key id")
			.isEqualTo(401);
		assertThat(github(body, KEY_ID, "not base64!").send().status()).as("a malformed signature").isEqualTo(401);
		Http.Response refused = github(body, KEY_ID, SecretScanningKeys.sign(stranger.getPrivate(), body)).send();
		assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
		assertThat(refused.header("WWW-Authenticate")).as("RFC 9110: a 401 names its challenge")
			.startsWith("Github-Public-Key-Signature ")
			.contains("Github-Public-Key-Identifier");
		assertThat(refused.body()).doesNotContain(token);

		assertThat(introspect(token).json().get("active").asBoolean()).isTrue();
	}

	@Test
	void githubReportWhenABatchOfAThousandMatchesThenEveryOneLabelledAndOursRevoked() {
		String user = newUser();
		String token = tokenFor(user);
		String url = "https://github.com/octo/leaky/blob/" + UUID.randomUUID() + "/config/production/.env";
		List<Map<String, String>> matches = new ArrayList<>();
		matches.add(match(token, url));
		while (matches.size() < 1000) {
			matches.add(match(otherWellFormed(token), url));
		}
		String body = JsonMapper.builder().build().writeValueAsString(matches);
		assertThat(body.length()).as("over latchkey.http.max-body-size").isGreaterThan(64 * 1024);

		Http.Response answer = github(body, KEY_ID, SecretScanningKeys.sign(github.getPrivate(), body)).send();

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(answer.json()).hasSize(1000);
		assertThat(answer.json().get(0).get("label").asString()).isEqualTo("true_positive");
		assertThat(answer.json().get(999).get("label").asString()).isEqualTo("false_positive");
		assertThat(introspect(token).body()).isEqualTo("{\"active\":false}");
		String tooLarge = "[" + " ".repeat(1024 * 1024) + "]";
		assertThat(github(tooLarge, KEY_ID, SecretScanningKeys.sign(github.getPrivate(), tooLarge)).send().status())
			.as("still bounded, by latchkey.secret-scanning.github.max-body-size")
			.isEqualTo(413);
	}

	@Test
	void githubReportWhenSignedWithAKeyFromTheKeysUrlThenAccepted() {
		String user = newUser();
		String token = tokenFor(user);
		String body = JsonMapper.builder().build().writeValueAsString(List.of(match(token, null)));
		Http.Response answer = github(body, FETCHED_KEY_ID, SecretScanningKeys.sign(fetchedKey.getPrivate(), body))
			.send();
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(answer.json().get(0).get("label").asString()).isEqualTo("true_positive");
		assertThat(introspect(token).body()).isEqualTo("{\"active\":false}");
		assertThat(metaFetches.size()).as("fetched once, not per report").isEqualTo(1);
		github(body, FETCHED_KEY_ID, SecretScanningKeys.sign(fetchedKey.getPrivate(), body)).send();
		assertThat(metaFetches.size()).isEqualTo(1);
	}

	@Test
	void publicReportWhenOursThenItsRotationChainRevokedOwnerToldAndAuditedAsReported() throws Exception {
		String user = newUserWithEmail();
		JsonNode leaked = generateToken(user, Map.of());
		String token = leaked.get("token").asString();
		String successor = selfRotate(token);

		Http.Response answer = report(Loopback.someAddress(), List.of(token));

		assertThat(answer.status()).isEqualTo(202);
		Eventually.until("the successor revoked", () -> introspect(successor).body(),
				(introspected) -> introspected.equals("{\"active\":false}"));
		assertThat(introspect(token).body()).isEqualTo("{\"active\":false}");
		MimeMessage mail = Eventually.found("the owner's mail", () -> mailbox.about(user)).get(0);
		assertThat(String.valueOf(mail.getContent())).contains("Reported by: a public report")
			.doesNotContain("Found at:")
			.doesNotContain(token);
		WebhookReceiver.Delivery delivery = Eventually.found("the webhook", () -> receiver.about(user)).get(0);
		assertThat(JsonMapper.builder().build().readTree(delivery.body()).get("source").asString())
			.isEqualTo("a public report");
		JsonNode revoked = auditOf(user, "token.revoked");
		assertThat(revoked.get("reason").asString()).isEqualTo("reported");
		assertThat(revoked.get("via").asString()).isEqualTo("api/credentials/revoke");
		assertThat(revoked.get("rotated_into").asString()).isNotEmpty();
		assertThat(auditOf(user, "notice.sent").get("notice").asString()).isEqualTo("token.reported");
	}

	@Test
	void publicReportWhenOursUnknownOrMalformedThenByteIdenticalAnswers() {
		String user = newUser();
		String token = tokenFor(user);
		InetAddress from = Loopback.someAddress();
		Http.Response ours = report(from, List.of(token));
		Http.Response unknown = report(from, List.of(otherWellFormed(token)));
		Http.Response malformed = report(from, List.of("lkp_" + "x".repeat(36)));
		Http.Response mixed = report(from, List.of("no token at all", token));

		assertThat(ours.status()).isEqualTo(202);
		for (Http.Response other : List.of(unknown, malformed, mixed)) {
			assertThat(other.status()).isEqualTo(ours.status());
			assertThat(other.body()).isEqualTo(ours.body()).isEmpty();
			assertThat(withoutDate(other.headers())).isEqualTo(withoutDate(ours.headers()));
		}
	}

	@Test
	void publicReportWhenBodyBadThen400NamingCredentials() {
		InetAddress from = Loopback.someAddress();
		List<String> tooMany = new ArrayList<>();
		for (int i = 0; i < 1001; i++) {
			tooMany.add("lkp_" + i);
		}
		assertBadCredentials(report(from, tooMany));
		assertBadCredentials(Http.post(url("/api/credentials/revoke")).from(from).send());
		assertBadCredentials(Http.post(url("/api/credentials/revoke")).from(from).json("{not json").send());
		assertBadCredentials(report(from, List.of("x".repeat(CredentialRevocationController.MAX_LENGTH + 1))));
		assertThat(report(from, List.of("x".repeat(CredentialRevocationController.MAX_LENGTH))).status())
			.as("the longest string allowed")
			.isEqualTo(202);
	}

	@Test
	void publicReportWhenTooManyFromOneAddressThen429WithRetryAfterWhileAnotherAddressIsServed() {
		InetAddress noisy = Loopback.someAddress();
		for (int i = 0; i < REPORTS_PER_ADDRESS; i++) {
			assertThat(report(noisy, List.of("lkp_" + i)).status()).isEqualTo(202);
		}
		Http.Response throttled = report(noisy, List.of("lkp_x"));
		assertThat(throttled.status()).isEqualTo(429);
		assertThat(throttled.header("Content-Type")).isEqualTo("application/problem+json");
		assertThat(Long.parseLong(throttled.header("Retry-After"))).isPositive();
		assertThat(report(Loopback.address("127.0.0.2"), List.of("lkp_x")).status()).isEqualTo(202);
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(report(noisy, List.of("lkp_x")).status()).as("refilled a minute later").isEqualTo(202);
	}

	private void assertBadCredentials(Http.Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("credentials");
	}

	private Http.Response report(InetAddress from, List<String> credentials) {
		return Http.post(url("/api/credentials/revoke")).from(from).json(Map.of("credentials", credentials)).send();
	}

	private Http github(String body, String keyId, String signature) {
		Http request = Http.post(url("/api/secret-scanning/github")).json(body);
		if (keyId != null) {
			request.header("Github-Public-Key-Identifier", keyId);
		}
		if (signature != null) {
			request.header("Github-Public-Key-Signature", signature);
		}
		return request;
	}

	private String selfRotate(String token) {
		Http.Response rotated = Http.post(url("/api/tokens/self/rotate")).bearer(token).send();
		assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
		return rotated.json().get("token").asString();
	}

	private JsonNode auditOf(String user, String type) {
		Http.Response audit = asAdmin(Http.get(url("/api/audit?type=" + type + "&user=" + user)));
		assertThat(audit.status()).as(audit.body()).isEqualTo(200);
		assertThat(audit.json().values()).as(audit.body()).isNotEmpty();
		return audit.json().get(0);
	}

	private JsonNode listed(String user, String id) {
		for (JsonNode token : asAdmin(Http.get(url("/api/users/" + user + "/tokens"))).json()) {
			if (token.get("id").asString().equals(id)) {
				return token;
			}
		}
		throw new AssertionError("token " + id + " is not listed");
	}

	private String newUserWithEmail() {
		String user = newUser();
		setEmail(user, user + "@example.com");
		return user;
	}

	/**
	 * Another string of the same shape and prefix with a valid checksum, never issued.
	 */
	private static String otherWellFormed(String token) {
		io.latchkey.core.TokenFormat format = new io.latchkey.core.TokenFormat(token.substring(0, token.indexOf('_')));
		return format.generate();
	}

	private static Map<String, String> withoutDate(Map<String, List<String>> headers) {
		Map<String, String> kept = new HashMap<>();
		headers.forEach((name, values) -> {
			if (!name.equalsIgnoreCase("date")) {
				kept.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values));
			}
		});
		return kept;
	}

	private static Map<String, String> match(String token, String url) {
		Map<String, String> match = new java.util.LinkedHashMap<>();
		match.put("token", token);
		match.put("type", "latchkey_pat");
		if (url != null) {
			match.put("url", url);
		}
		match.put("source", "content");
		return match;
	}

	/**
	 * The webhook receiver, on a server that also answers as GitHub's meta endpoint,
	 * serving {@link #fetchedKey} in GitHub's format.
	 */
	private static WebhookReceiver startReceiver() {
		WebhookReceiver receiver = WebhookReceiver.start();
		receiver.serve("/meta/public_keys/secret_scanning", (exchange) -> {
			metaFetches.add(exchange.getRequestURI().toString());
			byte[] body = JsonMapper.builder()
				.build()
				.writeValueAsBytes(Map.of("public_keys", List.of(Map.of("key_identifier", FETCHED_KEY_ID, "key",
						SecretScanningKeys.pem(fetchedKey.getPublic()), "is_current", true))));
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		return receiver;
	}

}
