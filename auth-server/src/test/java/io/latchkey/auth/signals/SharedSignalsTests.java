package io.latchkey.auth.signals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpServer;
import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Eventually;
import io.latchkey.auth.Http;
import io.latchkey.authorization.signals.SignalPushes;
import io.latchkey.core.TokenDigest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenID Shared Signals transmitter over real HTTP, on a real Redis: the
 * configuration document, stream management as SSF 1.0 specifies it, only for allowed
 * clients and each only to its own stream, verification events, poll delivery with
 * acknowledgements, pause, overflow, push with retries against a real receiver, never to
 * a URL the administrator did not allow nor through a redirect, and events whose
 * signatures verify with Nimbus against {@code /oauth2/jwks}. Push runs are driven by
 * calling them (runs of one instance never overlap) and the backoff by the clock: no test
 * sleeps.
 */
class SharedSignalsTests extends AuthServerTestBase {

	private static final String CREDENTIAL_CHANGE = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

	private static final String SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";

	private static final String VERIFICATION = "https://schemas.openid.net/secevent/ssf/event-type/verification";

	private static final String STREAM_UPDATED = "https://schemas.openid.net/secevent/ssf/event-type/stream-updated";

	/** The events one stream keeps here, small enough to overflow in a test. */
	private static final int MAX_EVENTS = 5;

	private static final String POLL = "urn:ietf:rfc:8936";

	private static final String PUSH = "urn:ietf:rfc:8935";

	private static final String RECEIVER = "ssf-receiver";

	private static final String OTHER = "ssf-other";

	private static final Receiver pushed = new Receiver();

	/** A listener at a URL the administrator did not allow. */
	private static final Listener forbidden = new Listener("/hooks/ssf", 202, null);

	/** Where a redirecting receiver sends the server, at a URL that is allowed. */
	private static final Listener redirectedTo = new Listener("/ssf/events", 202, null);

	/** A receiver at an allowed URL that answers every push with a redirect. */
	private static final Listener redirecting = new Listener("/ssf/events", 302,
			"http://127.0.0.1:" + redirectedTo.port() + "/ssf/events");

	@Autowired
	private SignalPushes pushes;

	@DynamicPropertySource
	static void signals(DynamicPropertyRegistry registry) {
		registry.add("latchkey.redis.key-prefix", () -> KEY_PREFIX + "-ssf");
		for (String client : List.of(RECEIVER, OTHER, "ssf-outsider")) {
			String registration = "spring.security.oauth2.authorizationserver.client." + client + ".registration.";
			registry.add(registration + "client-id", () -> client);
			registry.add(registration + "client-secret", () -> "{noop}" + client + "-secret");
			registry.add(registration + "client-authentication-methods", () -> "client_secret_basic");
			registry.add(registration + "authorization-grant-types", () -> "client_credentials");
			registry.add(registration + "scopes", () -> "ssf.stream");
		}
		registry.add("latchkey.introspection.allowed-clients", () -> "resource-api," + RECEIVER + "," + OTHER);
		registry.add("latchkey.signals.allowed-clients", () -> RECEIVER + "," + OTHER);
		registry.add("latchkey.signals.allowed-push-urls", () -> "http://127.0.0.1:*/ssf/events");
		registry.add("latchkey.signals.push-backoff", () -> "1m");
		registry.add("latchkey.signals.max-events", () -> MAX_EVENTS);
	}

	@AfterAll
	static void stopReceivers() {
		pushed.server.stop(0);
		for (Listener listener : List.of(forbidden, redirectedTo, redirecting)) {
			listener.server.stop(0);
		}
	}

	@BeforeEach
	void noStreams() {
		for (String client : List.of(RECEIVER, OTHER)) {
			String token = accessToken(client);
			JsonNode streams = Http.get(url("/ssf/stream")).bearer(token).send().json();
			for (JsonNode stream : streams.values()) {
				Http.delete(url("/ssf/stream?stream_id=" + stream.get("stream_id").asString())).bearer(token).send();
			}
		}
		pushed.received.clear();
		pushed.attempts.set(0);
		pushed.failures.set(0);
	}

	@Test
	void configurationWhenFetchedThenTheSsfMetadataWithPushAndPoll() {
		Http.Response response = Http.get(url("/.well-known/ssf-configuration")).send();
		assertThat(response.status()).isEqualTo(200);
		JsonNode configuration = response.json();
		assertThat(configuration.get("spec_version").asString()).isEqualTo("1_0");
		assertThat(configuration.get("issuer").asString()).isEqualTo(url(""));
		assertThat(configuration.get("jwks_uri").asString()).isEqualTo(url("/oauth2/jwks"));
		assertThat(configuration.get("delivery_methods_supported").values()).extracting(JsonNode::asString)
			.containsExactlyInAnyOrder(PUSH, POLL);
		assertThat(configuration.get("configuration_endpoint").asString()).isEqualTo(url("/ssf/stream"));
		assertThat(configuration.get("status_endpoint").asString()).isEqualTo(url("/ssf/status"));
		assertThat(configuration.get("verification_endpoint").asString()).isEqualTo(url("/ssf/verify"));
		assertThat(configuration.get("authorization_schemes").get(0).get("spec_urn").asString())
			.isEqualTo("urn:ietf:rfc:6749");
		assertThat(configuration.get("default_subjects").asString()).isEqualTo("ALL");
	}

	@Test
	void streamWhenCreatedReadUpdatedReplacedAndDeletedThenAsSsfSpecifies() {
		String token = accessToken(RECEIVER);
		Http.Response created = createPollStream(token, List.of(CREDENTIAL_CHANGE));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		JsonNode stream = created.json();
		String id = stream.get("stream_id").asString();
		assertThat(stream.get("iss").asString()).isEqualTo(url(""));
		assertThat(stream.get("aud").asString()).isEqualTo(RECEIVER);
		assertThat(stream.get("delivery").get("method").asString()).isEqualTo(POLL);
		assertThat(stream.get("delivery").get("endpoint_url").asString()).isEqualTo(url("/ssf/poll"));
		assertThat(stream.get("events_delivered").values()).extracting(JsonNode::asString)
			.containsExactly(CREDENTIAL_CHANGE);
		assertThat(createPollStream(token, List.of(CREDENTIAL_CHANGE)).status()).isEqualTo(409);

		Http.Response read = Http.get(url("/ssf/stream?stream_id=" + id)).bearer(token).send();
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.json().get("stream_id").asString()).isEqualTo(id);
		JsonNode all = Http.get(url("/ssf/stream")).bearer(token).send().json();
		assertThat(all.isArray()).as("without stream_id, an array").isTrue();
		assertThat(all.values()).hasSize(1);

		Http.Response updated = Http.patch(url("/ssf/stream"))
			.bearer(token)
			.json(Map.of("stream_id", id, "description", "resource API", "events_requested",
					List.of(CREDENTIAL_CHANGE, SESSION_REVOKED)))
			.send();
		assertThat(updated.status()).as(updated.body()).isEqualTo(200);
		assertThat(updated.json().get("description").asString()).isEqualTo("resource API");
		assertThat(updated.json().get("events_delivered").values()).hasSize(2);
		assertThat(updated.json().get("delivery").get("method").asString()).isEqualTo(POLL);

		Http.Response replaced = Http.put(url("/ssf/stream"))
			.bearer(token)
			.json(Map.of("stream_id", id, "delivery", Map.of("method", POLL)))
			.send();
		assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
		assertThat(replaced.json().has("description")).isFalse();
		assertThat(replaced.json().get("events_delivered").values()).hasSize(3);

		assertThat(Http.delete(url("/ssf/stream?stream_id=" + id)).bearer(token).send().status()).isEqualTo(204);
		assertThat(Http.get(url("/ssf/stream?stream_id=" + id)).bearer(token).send().status()).isEqualTo(404);
		JsonNode none = Http.get(url("/ssf/stream")).bearer(token).send().json();
		assertThat(none.isArray()).as("no stream, an empty array").isTrue();
		assertThat(none.values()).isEmpty();
	}

	@Test
	void streamWhenTheClientIsNotAllowedOrItsTokenLacksTheScopeThen403AndWithoutATokenThen401() {
		Http.Response outsider = createPollStream(accessToken("ssf-outsider"), List.of(CREDENTIAL_CHANGE));
		assertThat(outsider.status()).isEqualTo(403);
		assertThat(outsider.header("Content-Type")).contains("application/problem+json");
		Http.Response unscoped = Http.get(url("/ssf/stream")).bearer(token("machine", "machine-secret", null)).send();
		assertThat(unscoped.status()).isEqualTo(403);
		Http.Response anonymous = Http.post(url("/ssf/stream")).json(Map.of("delivery", Map.of("method", POLL))).send();
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
	}

	@Test
	void streamWhenAPersonalAccessTokenOrItsExchangedJwtIsPresentedThen401() {
		String pat = tokenFor(newUser());
		assertThat(Http.get(url("/ssf/stream")).bearer(pat).send().status()).isEqualTo(401);
		Http.Response exchanged = Http.post(url("/oauth2/token"))
			.basic(CLIENT_ID, CLIENT_SECRET)
			.form(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token", pat,
					"subject_token_type", "urn:ietf:params:oauth:token-type:access_token"))
			.send();
		assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
		assertThat(Http.get(url("/ssf/stream")).bearer(exchanged.json().get("access_token").asString()).send().status())
			.isEqualTo(401);
	}

	@Test
	void streamWhenAnotherClientsStreamIsNamedThen404() {
		String id = createPollStream(accessToken(RECEIVER), List.of(CREDENTIAL_CHANGE)).json()
			.get("stream_id")
			.asString();
		String other = accessToken(OTHER);
		createPollStream(other, List.of(CREDENTIAL_CHANGE));
		assertThat(Http.get(url("/ssf/stream?stream_id=" + id)).bearer(other).send().status()).isEqualTo(404);
		assertThat(Http.patch(url("/ssf/stream")).bearer(other).json(Map.of("stream_id", id)).send().status())
			.isEqualTo(404);
		assertThat(Http.delete(url("/ssf/stream?stream_id=" + id)).bearer(other).send().status()).isEqualTo(404);
		assertThat(Http.get(url("/ssf/status?stream_id=" + id)).bearer(other).send().status()).isEqualTo(404);
		assertThat(Http.post(url("/ssf/verify")).bearer(other).json(Map.of("stream_id", id)).send().status())
			.isEqualTo(404);
		assertThat(Http.get(url("/ssf/stream?stream_id=" + id)).bearer(accessToken(RECEIVER)).send().status())
			.isEqualTo(200);
	}

	@Test
	void streamWhenTheConfigurationIsBadThen400NamingTheField() {
		String token = accessToken(RECEIVER);
		assertBadRequest(Http.post(url("/ssf/stream")).bearer(token).json(Map.of("delivery", "poll")), "delivery");
		assertBadRequest(
				Http.post(url("/ssf/stream"))
					.bearer(token)
					.json(Map.of("delivery", Map.of("method", POLL), "events_requested", CREDENTIAL_CHANGE)),
				"events_requested");
		assertBadRequest(
				Http.post(url("/ssf/stream"))
					.bearer(token)
					.json(Map.of("delivery", Map.of("method", POLL), "description", List.of("not", "text"))),
				"description");
		assertBadRequest(Http.post(url("/ssf/stream")).bearer(token).json(Map.of("delivery", Map.of("method", PUSH))),
				"delivery.endpoint_url");
		assertBadRequest(
				Http.post(url("/ssf/stream")).bearer(token).json(Map.of("delivery", Map.of("method", "email"))),
				"delivery.method");
		assertBadRequest(
				Http.post(url("/ssf/stream"))
					.bearer(token)
					.json(Map.of("delivery", Map.of("method", PUSH, "endpoint_url", "ftp://127.0.0.1/ssf/events"))),
				"delivery.endpoint_url");
		assertBadRequest(
				Http.post(url("/ssf/stream"))
					.bearer(token)
					.json(Map.of("delivery",
							Map.of("method", PUSH, "endpoint_url", "http://169.254.169.254/latest/meta-data"))),
				"delivery.endpoint_url");
		assertBadRequest(
				Http.post(url("/ssf/stream"))
					.bearer(token)
					.json(Map.of("delivery", Map.of("method", POLL), "events_requested",
							List.of(CREDENTIAL_CHANGE, "https://example.com/event-type/made-up"))),
				"events_requested[1]");
		assertBadRequest(Http.post(url("/ssf/stream")).bearer(token).json("{\"delivery\":"), "body");
		assertBadRequest(Http.post(url("/ssf/stream")).bearer(token).json("[]"), "body");
		assertThat(Http.get(url("/ssf/stream")).bearer(token).send().json().values()).isEmpty();
	}

	@Test
	void streamWhenCreatedWithoutDeliveryThenPolledAsSsfSays() {
		Http.Response created = Http.post(url("/ssf/stream"))
			.bearer(accessToken(RECEIVER))
			.json(Map.of("description", "no delivery"))
			.send();
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.json().get("delivery").get("method").asString()).isEqualTo(POLL);
		assertThat(created.json().get("delivery").get("endpoint_url").asString()).isEqualTo(url("/ssf/poll"));
		assertThat(created.json().get("events_supported").values()).hasSizeGreaterThan(1);
	}

	@Test
	void streamWhenAnUpdateRepeatsTransmitterMembersThenTheyMustMatchOr400NamingThem() {
		String token = accessToken(RECEIVER);
		JsonNode stream = createPollStream(token, List.of(CREDENTIAL_CHANGE)).json();
		String id = stream.get("stream_id").asString();
		Http.Response asRead = Http.put(url("/ssf/stream")).bearer(token).json(stream.toString()).send();
		assertThat(asRead.status()).as(asRead.body()).isEqualTo(200);
		assertThat(asRead.json().get("events_delivered").values()).extracting(JsonNode::asString)
			.containsExactly(CREDENTIAL_CHANGE);

		assertBadRequest(Http.patch(url("/ssf/stream"))
			.bearer(token)
			.json(Map.of("stream_id", id, "iss", "https://elsewhere.example.com")), "iss");
		assertBadRequest(Http.patch(url("/ssf/stream")).bearer(token).json(Map.of("stream_id", id, "aud", OTHER)),
				"aud");
		assertBadRequest(Http.patch(url("/ssf/stream"))
			.bearer(token)
			.json(Map.of("stream_id", id, "events_delivered", List.of(SESSION_REVOKED), "events_requested",
					List.of(SESSION_REVOKED))),
				"events_delivered");
		assertBadRequest(Http.put(url("/ssf/stream"))
			.bearer(token)
			.json(Map.of("stream_id", id, "delivery", Map.of("method", POLL), "events_supported",
					List.of(CREDENTIAL_CHANGE))),
				"events_supported");
		JsonNode unchanged = Http.get(url("/ssf/stream?stream_id=" + id)).bearer(token).send().json();
		assertThat(unchanged.get("events_delivered").values()).extracting(JsonNode::asString)
			.containsExactly(CREDENTIAL_CHANGE);
	}

	@Test
	void streamWhenThePushUrlIsNotAllowedThen400AndTheServerNeverCallsIt() throws Exception {
		String token = accessToken(RECEIVER);
		String url = "http://127.0.0.1:" + forbidden.port() + "/hooks/ssf";
		Http.Response refused = Http.post(url("/ssf/stream"))
			.bearer(token)
			.json(Map.of("delivery", Map.of("method", PUSH, "endpoint_url", url), "events_requested",
					List.of(CREDENTIAL_CHANGE)))
			.send();
		assertThat(refused.status()).as(refused.body()).isEqualTo(400);
		assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("delivery.endpoint_url");
		String id = createPollStream(token, List.of(CREDENTIAL_CHANGE)).json().get("stream_id").asString();
		assertBadRequest(
				Http.patch(url("/ssf/stream"))
					.bearer(token)
					.json(Map.of("stream_id", id, "delivery", Map.of("method", PUSH, "endpoint_url", url))),
				"delivery.endpoint_url");

		String pat = generateToken(newUser(), Map.of("audience", List.of(RECEIVER))).get("token").asString();
		asAdmin(Http.post(url("/api/tokens/revoke")).json(Map.of("token", pat)));
		Http.post(url("/ssf/verify")).bearer(token).json(Map.of("stream_id", id, "state", "s")).send();
		this.pushes.runOnce();
		assertThat(forbidden.requests.get()).as("requests the forbidden URL got").isZero();
		assertThat(poll(token, List.of())).as("the events stayed in the poll stream").hasSize(2);
	}

	@Test
	void pushWhenTheReceiverRedirectsThenTheRedirectIsNotFollowed() throws Exception {
		String token = accessToken(RECEIVER);
		Http.Response created = Http.post(url("/ssf/stream"))
			.bearer(token)
			.json(Map.of("delivery",
					Map.of("method", PUSH, "endpoint_url", "http://127.0.0.1:" + redirecting.port() + "/ssf/events"),
					"events_requested", List.of(CREDENTIAL_CHANGE)))
			.send();
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		int before = redirecting.requests.get();
		Http.post(url("/ssf/verify"))
			.bearer(token)
			.json(Map.of("stream_id", created.json().get("stream_id").asString(), "state", "s"))
			.send();
		Eventually.until("a push to the redirecting receiver", redirecting.requests::get, (n) -> n > before);
		this.pushes.runOnce();
		assertThat(redirectedTo.requests.get()).as("requests the redirect's target got").isZero();
	}

	@Test
	void pollWhenTheStreamOverflowsThenTheOldestAreDroppedAndAStreamUpdatedTellsTheReceiver() throws Exception {
		String token = accessToken(RECEIVER);
		String id = createPollStream(token, List.of(CREDENTIAL_CHANGE)).json().get("stream_id").asString();
		String user = newUser();
		List<String> digests = new ArrayList<>();
		for (int i = 0; i <= MAX_EVENTS; i++) {
			String pat = generateToken(user, Map.of("audience", List.of(RECEIVER))).get("token").asString();
			digests.add(TokenDigest.of(pat));
			asAdmin(Http.post(url("/api/tokens/revoke")).json(Map.of("token", pat)));
		}
		Map<String, JWTClaimsSet> sets = poll(token, List.of());
		assertThat(sets).as("the notice, kept apart, and the newest events").hasSize(MAX_EVENTS + 1);
		List<JWTClaimsSet> notices = sets.values()
			.stream()
			.filter((set) -> events(set).containsKey(STREAM_UPDATED))
			.toList();
		assertThat(notices).singleElement().satisfies((notice) -> {
			assertThat(notice.getJSONObjectClaim("sub_id")).isEqualTo(Map.of("format", "opaque", "id", id));
			assertThat(events(notice).get(STREAM_UPDATED))
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("status", "enabled")
				.containsKey("reason");
		});
		List<String> polled = sets.values()
			.stream()
			.filter((set) -> !events(set).containsKey(STREAM_UPDATED))
			.map((set) -> String.valueOf(((Map<?, ?>) set.getClaim("sub_id")).get("id")))
			.toList();
		assertThat(polled).as("the newest kept, the oldest dropped")
			.containsExactlyInAnyOrderElementsOf(digests.subList(digests.size() - MAX_EVENTS, digests.size()));
	}

	@Test
	void verifyWhenAskedThenAVerificationEventWithTheStateSignedWithTheJwksKeys() throws Exception {
		String token = accessToken(RECEIVER);
		String id = createPollStream(token, List.of(CREDENTIAL_CHANGE)).json().get("stream_id").asString();
		Http.Response verify = Http.post(url("/ssf/verify"))
			.bearer(token)
			.json(Map.of("stream_id", id, "state", "VGhpcyBpcyBhbiBleGFtcGxl"))
			.send();
		assertThat(verify.status()).as(verify.body()).isEqualTo(204);

		Map<String, JWTClaimsSet> sets = poll(token, List.of());
		assertThat(sets).hasSize(1);
		JWTClaimsSet set = sets.values().iterator().next();
		assertThat(set.getIssuer()).isEqualTo(url(""));
		assertThat(set.getAudience()).containsExactly(RECEIVER);
		assertThat(set.getJSONObjectClaim("sub_id")).isEqualTo(Map.of("format", "opaque", "id", id));
		assertThat(set.getJSONObjectClaim("events").get(VERIFICATION))
			.isEqualTo(Map.of("state", "VGhpcyBpcyBhbiBleGFtcGxl"));
	}

	@Test
	void revokeWhenTheTokenIsMeantForTheReceiverThenItPollsACredentialChangeNamingTheDigestAndTheOtherNothing()
			throws Exception {
		String receiver = accessToken(RECEIVER);
		String other = accessToken(OTHER);
		createPollStream(receiver, List.of(CREDENTIAL_CHANGE));
		createPollStream(other, List.of(CREDENTIAL_CHANGE));
		String user = newUser();
		String pat = generateToken(user, Map.of("audience", List.of(RECEIVER))).get("token").asString();
		assertThat(asAdmin(Http.post(url("/api/tokens/revoke")).json(Map.of("token", pat))).status()).isEqualTo(204);

		Http.Response raw = Http.post(url("/ssf/poll")).bearer(receiver).json(Map.of("returnImmediately", true)).send();
		assertThat(raw.body()).doesNotContain(pat);
		Map<String, JWTClaimsSet> sets = poll(receiver, List.of());
		assertThat(sets).hasSize(1);
		JWTClaimsSet set = sets.values().iterator().next();
		assertThat(set.getJSONObjectClaim("sub_id")).isEqualTo(Map.of("format", "opaque", "id", TokenDigest.of(pat)));
		assertThat(set.getJSONObjectClaim("events").get(CREDENTIAL_CHANGE))
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("change_type", "revoke");
		assertThat(set.getStringClaim("txn")).isNotBlank();
		assertThat(poll(other, List.of())).isEmpty();

		poll(receiver, List.copyOf(sets.keySet()));
		assertThat(poll(receiver, List.of())).isEmpty();
	}

	@Test
	void statusWhenPausedThenNothingIsDeliveredAndEverythingComesOnceEnabled() throws Exception {
		String token = accessToken(RECEIVER);
		String id = createPollStream(token, List.of(SESSION_REVOKED)).json().get("stream_id").asString();
		Http.Response paused = Http.post(url("/ssf/status"))
			.bearer(token)
			.json(Map.of("stream_id", id, "status", "paused", "reason", "maintenance"))
			.send();
		assertThat(paused.status()).as(paused.body()).isEqualTo(200);
		Http.Response status = Http.get(url("/ssf/status?stream_id=" + id)).bearer(token).send();
		assertThat(status.status()).isEqualTo(200);
		assertThat(status.json().get("stream_id").asString()).isEqualTo(id);
		assertThat(status.json().get("status").asString()).isEqualTo("paused");
		assertThat(status.json().get("reason").asString()).isEqualTo("maintenance");
		String user = newUser();
		assertThat(asAdmin(Http.patch(url("/api/users/" + user)).json(Map.of("enabled", false))).status())
			.isEqualTo(200);
		assertThat(poll(token, List.of())).isEmpty();

		assertBadRequest(Http.post(url("/ssf/status")).bearer(token).json(Map.of("stream_id", id, "status", "on")),
				"status");
		Http.post(url("/ssf/status")).bearer(token).json(Map.of("stream_id", id, "status", "enabled")).send();
		Map<String, JWTClaimsSet> sets = poll(token, List.of());
		assertThat(sets).hasSize(1);
		assertThat(sets.values().iterator().next().getJSONObjectClaim("sub_id"))
			.isEqualTo(Map.of("format", "iss_sub", "iss", url(""), "sub", user.toLowerCase()));
	}

	@Test
	void pushWhenTheReceiverAnswers500ThenTriedAgainAfterTheBackoffUntilItAnswers202() throws Exception {
		String token = accessToken(RECEIVER);
		Http.Response created = Http.post(url("/ssf/stream"))
			.bearer(token)
			.json(Map.of("delivery",
					Map.of("method", PUSH, "endpoint_url", "http://127.0.0.1:" + pushed.port() + "/ssf/events",
							"authorization_header", "Bearer receiver-own-secret"),
					"events_requested", List.of(CREDENTIAL_CHANGE)))
			.send();
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.body()).doesNotContain("receiver-own-secret");
		pushed.failures.set(1);
		String pat = generateToken(newUser(), Map.of("audience", List.of(RECEIVER))).get("token").asString();
		asAdmin(Http.post(url("/api/tokens/revoke")).json(Map.of("token", pat)));

		Eventually.until("the first push", pushed.attempts::get, (n) -> n >= 1);
		this.pushes.runOnce(); // the first push's failure, and so its backoff, recorded
								// before the clock moves
		this.clock.advance(Duration.ofSeconds(59));
		assertThat(this.pushes.runOnce()).isZero();
		assertThat(pushed.attempts.get()).as("no retry before the backoff").isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(2));
		this.pushes.runOnce();
		assertThat(pushed.received).as("delivered by the retry").hasSize(1);
		Push push = pushed.received.peek();
		assertThat(push.headers().get("Content-type")).isEqualTo("application/secevent+jwt");
		assertThat(push.headers().get("Authorization")).isEqualTo("Bearer receiver-own-secret");
		JWTClaimsSet set = verified(push.body());
		assertThat(set.getJSONObjectClaim("sub_id")).containsEntry("id", TokenDigest.of(pat));
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.pushes.runOnce()).isZero();
		assertThat(pushed.attempts.get()).as("delivered once").isEqualTo(2);
	}

	@Test
	void pushWhenTheStreamIsPausedThenNothingIsPushedAndEverythingComesOnceEnabled() throws Exception {
		String token = accessToken(RECEIVER);
		String id = Http.post(url("/ssf/stream"))
			.bearer(token)
			.json(Map.of("delivery",
					Map.of("method", PUSH, "endpoint_url", "http://127.0.0.1:" + pushed.port() + "/ssf/events"),
					"events_requested", List.of(CREDENTIAL_CHANGE)))
			.send()
			.json()
			.get("stream_id")
			.asString();
		Http.post(url("/ssf/status")).bearer(token).json(Map.of("stream_id", id, "status", "paused")).send();
		String pat = generateToken(newUser(), Map.of("audience", List.of(RECEIVER))).get("token").asString();
		asAdmin(Http.post(url("/api/tokens/revoke")).json(Map.of("token", pat)));
		this.pushes.runOnce();
		assertThat(pushed.attempts.get()).as("pushes while paused").isZero();

		Http.post(url("/ssf/status")).bearer(token).json(Map.of("stream_id", id, "status", "enabled")).send();
		this.pushes.runOnce();
		assertThat(pushed.received).singleElement()
			.satisfies((push) -> assertThat(verified(push.body()).getJSONObjectClaim("sub_id")).containsEntry("id",
					TokenDigest.of(pat)));
	}

	private Http.Response createPollStream(String token, List<String> events) {
		return Http.post(url("/ssf/stream"))
			.bearer(token)
			.json(Map.of("delivery", Map.of("method", POLL), "events_requested", events))
			.send();
	}

	private Map<String, JWTClaimsSet> poll(String token, List<String> ack) throws Exception {
		Http.Response response = Http.post(url("/ssf/poll"))
			.bearer(token)
			.json(Map.of("ack", ack, "returnImmediately", true))
			.send();
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		Map<String, JWTClaimsSet> sets = new HashMap<>();
		for (String jti : response.json().get("sets").propertyNames()) {
			JWTClaimsSet set = verified(response.json().get("sets").get(jti).asString());
			assertThat(set.getJWTID()).isEqualTo(jti);
			sets.put(jti, set);
		}
		return sets;
	}

	/** The SET's claims once its signature verified against the JWKS, typ included. */
	private JWTClaimsSet verified(String set) throws Exception {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("secevent+jwt")));
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
				JWKSourceBuilder.create(URI.create(url("/oauth2/jwks")).toURL()).build()));
		return processor.process(set, null);
	}

	private String accessToken(String client) {
		return token(client, client + "-secret", "ssf.stream");
	}

	private String token(String client, String secret, String scope) {
		Map<String, String> form = new HashMap<>(Map.of("grant_type", "client_credentials"));
		if (scope != null) {
			form.put("scope", scope);
		}
		Http.Response response = Http.post(url("/oauth2/token")).basic(client, secret).form(form).send();
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json().get("access_token").asString();
	}

	private static void assertBadRequest(Http request, String field) {
		Http.Response response = request.send();
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> events(JWTClaimsSet set) {
		return (Map<String, Object>) set.getClaim("events");
	}

	/** One event the receiver accepted: its headers and body. */
	record Push(Map<String, String> headers, String body) {
	}

	/** A real RFC 8935 receiver on loopback that fails a given number of times first. */
	static final class Receiver {

		final HttpServer server;

		final ConcurrentLinkedQueue<Push> received = new ConcurrentLinkedQueue<>();

		final AtomicInteger attempts = new AtomicInteger();

		final AtomicInteger failures = new AtomicInteger();

		Receiver() {
			try {
				this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			this.server.createContext("/ssf/events", (exchange) -> {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				this.attempts.incrementAndGet();
				int status = (this.failures.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) ? 500 : 202;
				if (status == 202) {
					Map<String, String> headers = new HashMap<>();
					exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
					this.received.add(new Push(headers, body));
				}
				exchange.sendResponseHeaders(status, -1);
				exchange.close();
			});
			this.server.start();
		}

		int port() {
			return this.server.getAddress().getPort();
		}

	}

	/** A real HTTP listener on loopback that counts what reaches it. */
	static final class Listener {

		final HttpServer server;

		final AtomicInteger requests = new AtomicInteger();

		Listener(String path, int status, String location) {
			try {
				this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			this.server.createContext("/", (exchange) -> {
				exchange.getRequestBody().readAllBytes();
				this.requests.incrementAndGet();
				if (location != null) {
					exchange.getResponseHeaders().add("Location", location);
				}
				exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals(path) ? status : 404, -1);
				exchange.close();
			});
			this.server.start();
		}

		int port() {
			return this.server.getAddress().getPort();
		}

	}

}
