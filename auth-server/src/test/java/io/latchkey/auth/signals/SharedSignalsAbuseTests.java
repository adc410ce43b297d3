package io.latchkey.auth.signals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.authorization.redis.RedisKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a careless or hostile receiver sends the Shared Signals transmitter, over real
 * HTTP on a real Redis: numbers beyond an int and headers that cannot be sent are refused
 * with a problem naming the field, and a stream that overflowed its cap still tells its
 * receiver, however many events followed.
 */
class SharedSignalsAbuseTests extends AuthServerTestBase {

	private static final String POLL = "urn:ietf:rfc:8936";

	private static final String PUSH = "urn:ietf:rfc:8935";

	private static final String STREAM_UPDATED = "https://schemas.openid.net/secevent/ssf/event-type/stream-updated";

	private static final String RECEIVER = "ssf-abuser";

	@Autowired
	private StringRedisTemplate redis;

	@Autowired
	private RedisKeys keys;

	@DynamicPropertySource
	static void signals(DynamicPropertyRegistry registry) {
		registry.add("latchkey.redis.key-prefix", () -> KEY_PREFIX + "-ssfabuse");
		String registration = "spring.security.oauth2.authorizationserver.client." + RECEIVER + ".registration.";
		registry.add(registration + "client-id", () -> RECEIVER);
		registry.add(registration + "client-secret", () -> "{noop}" + RECEIVER + "-secret");
		registry.add(registration + "client-authentication-methods", () -> "client_secret_basic");
		registry.add(registration + "authorization-grant-types", () -> "client_credentials");
		registry.add(registration + "scopes", () -> "ssf.stream");
		registry.add("latchkey.introspection.allowed-clients", () -> "resource-api," + RECEIVER);
		registry.add("latchkey.signals.allowed-clients", () -> RECEIVER);
		registry.add("latchkey.signals.allowed-push-urls", () -> "https://receiver.example.com/ssf/events");
		registry.add("latchkey.signals.max-events", () -> "3");
	}

	@BeforeEach
	void noStream() {
		String token = accessToken();
		for (JsonNode stream : Http.get(url("/ssf/stream")).bearer(token).send().json().values()) {
			Http.delete(url("/ssf/stream?stream_id=" + stream.get("stream_id").asString())).bearer(token).send();
		}
	}

	@Test
	void pollWhenEightRevocationsOverflowedACapOfThreeThenStreamUpdatedComesFirstUntilAcknowledged() throws Exception {
		String token = accessToken();
		createPollStream(token);
		String user = newUser();
		for (int i = 0; i < 8; i++) {
			String pat = generateToken(user, Map.of("audience", List.of(RECEIVER))).get("token").asString();
			assertThat(asAdmin(Http.post(url("/api/tokens/revoke")).json(Map.of("token", pat))).status())
				.isEqualTo(204);
		}

		JsonNode sets = poll(token, List.of()).get("sets");
		List<String> jtis = new ArrayList<>(sets.propertyNames());
		assertThat(jtis).hasSize(4);
		assertThat(jtis.get(0)).startsWith("stream-updated-");
		assertThat(events(sets.get(jtis.get(0)).asString())).containsOnlyKeys(STREAM_UPDATED);

		JsonNode again = poll(token, jtis.subList(1, 4)).get("sets");
		assertThat(again.propertyNames()).containsExactly(jtis.get(0));
		assertThat(poll(token, List.of(jtis.get(0))).get("sets").propertyNames()).isEmpty();
	}

	@Test
	void revokeWhenSharedSignalsCannotKeepTheEventThenTheWholeRotationChainIsRevokedAndTheReceiverToldLater()
			throws Exception {
		String token = accessToken();
		createPollStream(token);
		JsonNode leaked = generateToken(newUser(), Map.of());
		String second = selfRotate(leaked.get("token").asString());
		String third = selfRotate(second);
		poll(token, new ArrayList<>(poll(token, List.of()).get("sets").propertyNames()));
		String events = this.keys.signalEvents(RECEIVER);
		this.redis.opsForValue().set(events, "not a stream");

		Http.Response revoked = asAdmin(
				Http.post(url("/api/tokens/revoke")).json(Map.of("token", leaked.get("token").asString())));
		assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
		assertThat(introspect(second).body()).isEqualTo("{\"active\":false}");
		assertThat(introspect(third).body()).isEqualTo("{\"active\":false}");

		this.redis.delete(events);
		JsonNode sets = poll(token, List.of()).get("sets");
		String first = sets.propertyNames().iterator().next();
		assertThat(first).startsWith("stream-updated-");
		assertThat(events(sets.get(first).asString())).containsOnlyKeys(STREAM_UPDATED);
	}

	@Test
	void pollWhenMaxEventsIsBeyondAnIntOrNotANumberThen400NamingIt() {
		String token = accessToken();
		createPollStream(token);
		for (String body : List.of("{\"maxEvents\":4294967296}", "{\"maxEvents\":1.5}", "{\"maxEvents\":\"10\"}")) {
			assertBadRequest(Http.post(url("/ssf/poll")).bearer(token).json(body), "maxEvents");
		}
		assertBadRequest(Http.post(url("/ssf/poll")).bearer(token).json("{\"returnImmediately\":\"yes\"}"),
				"returnImmediately");
	}

	@Test
	void streamWhenTheAuthorizationHeaderCannotBeSentOrATypeIsWrongThen400NamingIt() {
		String token = accessToken();
		for (String header : List.of("Bearer a\r\nX-Injected: 1", "Bearer \u0000", "Bearer caf\u00e9")) {
			assertBadRequest(
					Http.post(url("/ssf/stream"))
						.bearer(token)
						.json(Map.of("delivery", Map.of("method", PUSH, "endpoint_url",
								"https://receiver.example.com/ssf/events", "authorization_header", header))),
					"delivery.authorization_header");
		}
		assertBadRequest(Http.post(url("/ssf/stream")).bearer(token).json("{\"delivery\":7}"), "delivery");
		assertBadRequest(
				Http.post(url("/ssf/stream"))
					.bearer(token)
					.json("{\"delivery\":{\"method\":\"" + POLL + "\"},\"events_requested\":\"all\"}"),
				"events_requested");
		assertThat(Http.get(url("/ssf/stream")).bearer(token).send().json().values()).isEmpty();
	}

	@Test
	void verifyWhenAskedAgainWithinTheMinimumIntervalThen429WithRetryAfterAndNoSecondEvent() {
		String token = accessToken();
		createPollStream(token);
		JsonNode stream = Http.get(url("/ssf/stream")).bearer(token).send().json().get(0);
		assertThat(stream.get("min_verification_interval").asLong()).isEqualTo(5);
		String id = stream.get("stream_id").asString();
		assertThat(Http.post(url("/ssf/verify")).bearer(token).json(Map.of("stream_id", id)).send().status())
			.isEqualTo(204);
		Http.Response again = Http.post(url("/ssf/verify")).bearer(token).json(Map.of("stream_id", id)).send();
		assertThat(again.status()).as(again.body()).isEqualTo(429);
		assertThat(Long.parseLong(again.header("Retry-After"))).isBetween(1L, 5L);
		assertThat(poll(token, List.of()).get("sets").properties()).as("one verification event, not two").hasSize(1);
	}

	private String selfRotate(String token) {
		Http.Response rotated = Http.post(url("/api/tokens/self/rotate")).bearer(token).send();
		assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
		return rotated.json().get("token").asString();
	}

	private void createPollStream(String token) {
		Http.Response created = Http.post(url("/ssf/stream"))
			.bearer(token)
			.json(Map.of("delivery", Map.of("method", POLL)))
			.send();
		assertThat(created.status()).as(created.body()).isEqualTo(201);
	}

	private JsonNode poll(String token, List<String> ack) {
		Http.Response response = Http.post(url("/ssf/poll"))
			.bearer(token)
			.json(Map.of("ack", ack, "returnImmediately", true))
			.send();
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

	private static Map<String, Object> events(String set) throws Exception {
		return com.nimbusds.jwt.SignedJWT.parse(set).getJWTClaimsSet().getJSONObjectClaim("events");
	}

	private String accessToken() {
		Http.Response response = Http.post(url("/oauth2/token"))
			.basic(RECEIVER, RECEIVER + "-secret")
			.form(Map.of("grant_type", "client_credentials", "scope", "ssf.stream"))
			.send();
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json().get("access_token").asString();
	}

	private static void assertBadRequest(Http request, String field) {
		Http.Response response = request.send();
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
	}

}
