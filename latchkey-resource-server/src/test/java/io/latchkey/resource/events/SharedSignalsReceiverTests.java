package io.latchkey.resource.events;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.latchkey.core.cache.EventDrivenCache;
import io.latchkey.core.event.EventType;
import io.latchkey.core.event.LatchkeyEvent;
import io.latchkey.core.event.SecurityEventCodec;
import io.latchkey.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receiver against a real HTTP transmitter on loopback that speaks SSF 1.0 and RFC
 * 8936 and signs its SETs with its own key: it connects (token, configuration, a poll
 * stream) and empties the cache, drops what each verified SET names and acknowledges it,
 * and empties the cache (refusing the SET back) for a SET signed by another key, meant
 * for another client or too old, after a poll that failed, and when events were lost.
 */
class SharedSignalsReceiverTests {

	private static final String CLIENT = "resource-api";

	private static final String DIGEST = "ab".repeat(32);

	private static RSAKey key;

	private static RSAKey otherKey;

	private final MutableClock clock = new MutableClock(Instant.now());

	private final JsonMapper json = JsonMapper.builder().build();

	private final SecurityEventCodec codec = new SecurityEventCodec();

	private final Recording cache = new Recording();

	private final ConcurrentLinkedQueue<String> waiting = new ConcurrentLinkedQueue<>();

	private final List<JsonNode> polls = new ArrayList<>();

	private final List<String> streamRequests = new ArrayList<>();

	private volatile int pollStatus = 200;

	private volatile boolean existingPushStream;

	private HttpServer transmitter;

	private String issuer;

	@BeforeAll
	static void keys() throws Exception {
		key = new RSAKeyGenerator(2048).keyID("k1").generate();
		otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
	}

	@BeforeEach
	void startTransmitter() throws IOException {
		this.transmitter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.issuer = "http://127.0.0.1:" + this.transmitter.getAddress().getPort();
		this.transmitter.createContext("/.well-known/ssf-configuration",
				(exchange) -> answer(exchange, 200, Map.of("issuer", this.issuer, "jwks_uri",
						this.issuer + "/oauth2/jwks", "configuration_endpoint", this.issuer + "/ssf/stream")));
		this.transmitter.createContext("/oauth2/jwks",
				(exchange) -> answer(exchange, 200, new JWKSet(key).toPublicJWKSet().toJSONObject()));
		this.transmitter.createContext("/oauth2/token", (exchange) -> {
			String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			boolean ok = form.contains("grant_type=client_credentials") && form.contains("scope=ssf.stream")
					&& exchange.getRequestHeaders().getFirst("Authorization").startsWith("Basic ");
			answer(exchange, ok ? 200 : 401, Map.of("access_token", "at-1", "token_type", "Bearer", "expires_in", 300));
		});
		this.transmitter.createContext("/ssf/stream", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.streamRequests.add(exchange.getRequestMethod() + " " + body);
			Map<String, Object> stream = Map.of("stream_id", "s1", "delivery",
					Map.of("method", "urn:ietf:rfc:8936", "endpoint_url", this.issuer + "/ssf/poll"));
			switch (exchange.getRequestMethod()) {
				case "GET" -> answer(exchange, 200, this.existingPushStream ? List.of(stream) : List.of());
				case "POST" -> answer(exchange, 201, stream);
				default -> answer(exchange, 200, stream);
			}
		});
		this.transmitter.createContext("/ssf/poll", (exchange) -> {
			JsonNode request = this.json.readTree(exchange.getRequestBody().readAllBytes());
			synchronized (this.polls) {
				this.polls.add(request);
			}
			Map<String, String> sets = new LinkedHashMap<>();
			String set;
			while ((set = this.waiting.poll()) != null) {
				sets.put(UUID.randomUUID().toString(), set);
			}
			answer(exchange, this.pollStatus, Map.of("sets", sets, "moreAvailable", false));
		});
		this.transmitter.start();
	}

	@AfterEach
	void stopTransmitter() {
		this.transmitter.stop(0);
	}

	@Test
	void runOnceWhenConnectingThenAPollStreamIsCreatedAndTheCacheEmptied() {
		assertThat(receiver().runOnce()).isZero();
		assertThat(this.streamRequests).hasSize(2);
		assertThat(this.streamRequests.get(0)).startsWith("GET");
		assertThat(this.streamRequests.get(1)).startsWith("POST").contains("urn:ietf:rfc:8936");
		assertThat(this.cache.drops).containsExactly("*");
	}

	@Test
	void runOnceWhenAStreamExistsThenItIsTurnedToPoll() {
		this.existingPushStream = true;
		receiver().runOnce();
		assertThat(this.streamRequests.get(1)).startsWith("PUT")
			.contains("\"stream_id\":\"s1\"")
			.contains("urn:ietf:rfc:8936");
	}

	@Test
	void runOnceWhenARevocationIsPolledThenItsAnswerIsDroppedAndAcknowledgedInTheNextPoll() {
		SharedSignalsReceiver receiver = receiver();
		receiver.runOnce();
		this.cache.drops.clear();
		this.waiting
			.add(set(key, CLIENT, Instant.now(), LatchkeyEvent.tokenRevoked("alice", "t1", DIGEST, Instant.now())));
		this.waiting
			.add(set(key, CLIENT, Instant.now(), LatchkeyEvent.user(EventType.USER_DISABLED, "Bob", Instant.now())));
		assertThat(receiver.runOnce()).isEqualTo(2);
		assertThat(this.cache.drops).containsExactly("token:" + DIGEST, "user:bob");
		receiver.runOnce();
		JsonNode last = this.polls.get(this.polls.size() - 1);
		assertThat(last.get("ack").values()).hasSize(2);
		assertThat(last.has("setErrs")).isFalse();
	}

	@Test
	void runOnceWhenASetDoesNotVerifyThenEverythingIsDroppedAndTheSetRefused() {
		SharedSignalsReceiver receiver = receiver();
		receiver.runOnce();
		LatchkeyEvent revoked = LatchkeyEvent.tokenRevoked("alice", "t1", DIGEST, Instant.now());
		List<String> bad = List.of(set(otherKey, CLIENT, Instant.now(), revoked),
				set(key, "billing", Instant.now(), revoked),
				set(key, CLIENT, Instant.now().minus(Duration.ofDays(2)), revoked));
		for (String set : bad) {
			this.cache.drops.clear();
			this.waiting.add(set);
			assertThat(receiver.runOnce()).isZero();
			assertThat(this.cache.drops).containsExactly("*");
			receiver.runOnce();
			JsonNode last = this.polls.get(this.polls.size() - 1);
			assertThat(last.get("setErrs").propertyNames()).hasSize(1);
		}
	}

	@Test
	void runOnceWhenThePollFailsOrEventsWereLostThenEverythingIsDropped() {
		SharedSignalsReceiver receiver = receiver();
		receiver.runOnce();
		this.cache.drops.clear();
		this.pollStatus = 503;
		receiver.runOnce();
		assertThat(this.cache.drops).contains("*");

		this.pollStatus = 200;
		receiver.runOnce();
		this.cache.drops.clear();
		this.waiting.add(sign(key, CLIENT, Instant.now(), Map.of("format", "opaque", "id", "s1"),
				SecurityEventCodec.STREAM_UPDATED, Map.of("status", "enabled", "reason", "events were dropped")));
		receiver.runOnce();
		assertThat(this.cache.drops).containsExactly("*");
	}

	private SharedSignalsReceiver receiver() {
		SharedSignalsReceiver receiver = new SharedSignalsReceiver(this.cache, URI.create(this.issuer), CLIENT,
				"client-secret", Duration.ofSeconds(1), Duration.ofDays(1));
		receiver.setClock(this.clock);
		return receiver;
	}

	private String set(RSAKey signer, String audience, Instant issuedAt, LatchkeyEvent event) {
		SecurityEventCodec.SecurityEvent content = this.codec.encode(event, this.issuer).get(0);
		return sign(signer, audience, issuedAt, content.subject(), content.type(), content.members());
	}

	private String sign(RSAKey signer, String audience, Instant issuedAt, Map<String, Object> subject, String type,
			Map<String, Object> members) {
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(this.issuer)
			.id(UUID.randomUUID().toString())
			.issuedAt(issuedAt)
			.audience(List.of(audience))
			.claim("sub_id", subject)
			.claim("events", Map.of(type, members))
			.build();
		return new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(signer)))
			.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).type("secevent+jwt").build(),
					claims))
			.getTokenValue();
	}

	private void answer(HttpExchange exchange, int status, Object body) throws IOException {
		byte[] bytes = this.json.writeValueAsBytes(body);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

	/** A cache that notes what it was told to drop. */
	static final class Recording implements EventDrivenCache {

		final List<String> drops = new ArrayList<>();

		@Override
		public void dropToken(String tokenDigest) {
			this.drops.add("token:" + tokenDigest);
		}

		@Override
		public void dropUsers(Set<String> usernameKeys) {
			usernameKeys.stream().sorted().forEach((user) -> this.drops.add("user:" + user));
		}

		@Override
		public void dropAll() {
			this.drops.add("*");
		}

	}

}
