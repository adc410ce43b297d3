package io.latchkey.resource.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.latchkey.core.event.LatchkeyEvent;
import io.latchkey.core.event.SecurityEventCodec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * A Shared Signals transmitter on loopback, real HTTP, speaking SSF 1.0 and RFC 8936
 * enough for a receiver: its configuration, its JWK set, {@code client_credentials}
 * tokens, one stream (noting every request made of it), and a poll endpoint handing out
 * what {@link #waiting} holds. It signs SETs with its own key; {@link #otherKey} is a
 * forger's with the same key id.
 */
final class FakeTransmitter implements AutoCloseable {

	static final RSAKey key = generate();

	static final RSAKey otherKey = generate();

	final String issuer;

	final ConcurrentLinkedQueue<String> waiting = new ConcurrentLinkedQueue<>();

	/** The polls' bodies, in order. */
	final List<JsonNode> polls = new ArrayList<>();

	/** The requests made of the stream: method, space, body. */
	final List<String> streamRequests = new ArrayList<>();

	volatile int pollStatus = 200;

	volatile boolean existingStream;

	/** The stream's status, as {@code /ssf/status} reads and sets it. */
	volatile String status = "enabled";

	/** The status changes asked for, in order. */
	final List<String> statusChanges = new ArrayList<>();

	private final HttpServer server;

	private final JsonMapper json = JsonMapper.builder().build();

	private final SecurityEventCodec codec = new SecurityEventCodec();

	FakeTransmitter() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.issuer = "http://127.0.0.1:" + this.server.getAddress().getPort();
		this.server.createContext("/.well-known/ssf-configuration",
				(exchange) -> answer(exchange, 200,
						Map.of("issuer", this.issuer, "jwks_uri", this.issuer + "/oauth2/jwks",
								"configuration_endpoint", this.issuer + "/ssf/stream", "status_endpoint",
								this.issuer + "/ssf/status")));
		this.server.createContext("/ssf/status", (exchange) -> {
			if ("POST".equals(exchange.getRequestMethod())) {
				String changed = this.json.readTree(exchange.getRequestBody().readAllBytes()).path("status").asString();
				synchronized (this.statusChanges) {
					this.statusChanges.add(changed);
				}
				this.status = changed;
			}
			answer(exchange, 200, Map.of("stream_id", "s1", "status", this.status));
		});
		this.server.createContext("/oauth2/jwks",
				(exchange) -> answer(exchange, 200, new JWKSet(key).toPublicJWKSet().toJSONObject()));
		this.server.createContext("/oauth2/token", (exchange) -> {
			String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			boolean ok = form.contains("grant_type=client_credentials") && form.contains("scope=ssf.stream")
					&& exchange.getRequestHeaders().getFirst("Authorization").startsWith("Basic ");
			answer(exchange, ok ? 200 : 401, Map.of("access_token", "at-1", "token_type", "Bearer", "expires_in", 300));
		});
		this.server.createContext("/ssf/stream", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			synchronized (this.streamRequests) {
				this.streamRequests.add(exchange.getRequestMethod() + " " + body);
			}
			Map<String, Object> delivery = body.contains("urn:ietf:rfc:8935")
					? Map.of("method", "urn:ietf:rfc:8935", "endpoint_url",
							this.json.readTree(body).path("delivery").path("endpoint_url").asString())
					: Map.of("method", "urn:ietf:rfc:8936", "endpoint_url", this.issuer + "/ssf/poll");
			Map<String, Object> stream = Map.of("stream_id", "s1", "delivery", delivery);
			switch (exchange.getRequestMethod()) {
				case "GET" -> answer(exchange, 200, this.existingStream ? List.of(stream) : List.of());
				case "POST" -> answer(exchange, 201, stream);
				default -> answer(exchange, 200, stream);
			}
		});
		this.server.createContext("/ssf/poll", (exchange) -> {
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
		this.server.start();
	}

	/** The status changes asked for so far. */
	List<String> statusChanges() {
		synchronized (this.statusChanges) {
			return List.copyOf(this.statusChanges);
		}
	}

	/** The stream requests made so far. */
	List<String> streamRequests() {
		synchronized (this.streamRequests) {
			return List.copyOf(this.streamRequests);
		}
	}

	/** A SET of {@code event}, signed by {@code signer}, for {@code audience}. */
	String set(RSAKey signer, String audience, Instant issuedAt, LatchkeyEvent event) {
		SecurityEventCodec.SecurityEvent content = this.codec.encode(event, this.issuer).get(0);
		return sign(signer, audience, issuedAt, content.subject(), content.type(), content.members());
	}

	String sign(RSAKey signer, String audience, Instant issuedAt, Map<String, Object> subject, String type,
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

	private static RSAKey generate() {
		try {
			return new RSAKeyGenerator(2048).keyID("k1").generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
