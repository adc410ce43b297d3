package io.latchkey.auth.signals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
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
import io.latchkey.auth.Eventually;
import io.latchkey.auth.Http;
import io.latchkey.auth.LatchkeyAuthServerApplication;
import io.latchkey.authorization.signals.SignalPushes;
import io.latchkey.core.TokenDigest;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared Signals across a restart of the auth server: the SETs kept in Redis by one
 * server are delivered by the next one started on the same Redis, each exactly once. What
 * a poller acknowledged, or a push receiver accepted, before the restart never comes
 * again; what it had not comes after it, signed with the same keys (verified with Nimbus
 * against the new server's JWKS). The first server stops while a push is backing off, so
 * the second must take the stream over at once (the first gave its lease up).
 */
class SharedSignalsAfterRestartTests {

	private static final String CREDENTIAL_CHANGE = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

	private static final String POLLER = "ssf-poller";

	private static final String PUSHER = "ssf-pusher";

	private static final String ISSUER = "https://auth.restart.example";

	private static final String ADMIN_PASSWORD = "restart-admin-password";

	private final String prefix = "lkssf-restart-" + UUID.randomUUID().toString().substring(0, 8);

	private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();

	private final AtomicInteger attempts = new AtomicInteger();

	/** Pushes accepted before the receiver starts failing. */
	private final AtomicInteger acceptFirst = new AtomicInteger(1);

	/** Whether the receiver fails once {@link #acceptFirst} ran out. */
	private final AtomicBoolean failing = new AtomicBoolean(true);

	private HttpServer receiver;

	@BeforeEach
	void startReceiver() throws IOException {
		this.receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.receiver.createContext("/ssf/events", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.attempts.incrementAndGet();
			boolean accepted = !this.failing.get() || this.acceptFirst.getAndDecrement() > 0;
			if (accepted) {
				this.received.add(body);
			}
			exchange.sendResponseHeaders(accepted ? 202 : 500, -1);
			exchange.close();
		});
		this.receiver.start();
	}

	@AfterEach
	void stopReceiver() {
		this.receiver.stop(0);
	}

	@Test
	void deliverWhenTheServerRestartedThenWhatWasNotAcknowledgedComesOnceAndNothingAcknowledgedComesAgain()
			throws Exception {
		List<String> digests = new ArrayList<>();
		Map<String, String> firstPoll;
		String acknowledged;
		try (ConfigurableApplicationContext first = start()) {
			String base = base(first);
			String poller = accessToken(base, POLLER);
			assertThat(Http.post(base + "/ssf/stream")
				.bearer(poller)
				.json(Map.of("delivery", Map.of("method", "urn:ietf:rfc:8936"), "events_requested",
						List.of(CREDENTIAL_CHANGE)))
				.send()
				.status()).isEqualTo(201);
			Http.Response pushStream = Http.post(base + "/ssf/stream")
				.bearer(accessToken(base, PUSHER))
				.json(Map.of("delivery",
						Map.of("method", "urn:ietf:rfc:8935", "endpoint_url",
								"http://127.0.0.1:" + this.receiver.getAddress().getPort() + "/ssf/events"),
						"events_requested", List.of(CREDENTIAL_CHANGE)))
				.send();
			assertThat(pushStream.status()).as(pushStream.body()).isEqualTo(201);
			for (int i = 0; i < 3; i++) {
				digests.add(revokeATokenFor(base, List.of(POLLER, PUSHER)));
			}

			firstPoll = digestsByJti(base, poll(base, poller, List.of()));
			assertThat(firstPoll.values()).containsExactlyInAnyOrderElementsOf(digests);
			acknowledged = jtiOf(firstPoll, digests.get(0));
			poll(base, poller, List.of(acknowledged));
			Eventually.until("one push accepted, the next refused", this.attempts::get, (n) -> n >= 2);
			assertThat(this.received).hasSize(1);
		}
		this.failing.set(false);

		try (ConfigurableApplicationContext second = start()) {
			String base = base(second);
			String poller = accessToken(base, POLLER);
			Map<String, String> afterRestart = digestsByJti(base, poll(base, poller, List.of()));
			assertThat(afterRestart).as("what was polled but not acknowledged, by the same jti")
				.containsOnlyKeys(jtiOf(firstPoll, digests.get(1)), jtiOf(firstPoll, digests.get(2)));
			poll(base, poller, List.copyOf(afterRestart.keySet()));
			assertThat(poll(base, poller, List.of())).isEmpty();

			Eventually.until("the pushes the first server could not deliver", this.received::size, (n) -> n >= 3);
			second.getBean(SignalPushes.class).runOnce();
			List<String> pushed = new ArrayList<>();
			for (String set : this.received) {
				pushed.add(digestOf(verified(base, set)));
			}
			assertThat(pushed).as("each pushed once, in order").containsExactlyElementsOf(digests);
		}
	}

	private ConfigurableApplicationContext start() {
		List<String> arguments = new ArrayList<>(RealRedis.arguments());
		arguments.addAll(List.of("--server.port=0", "--latchkey.redis.key-prefix=" + this.prefix,
				"--latchkey.redis.events-channel=" + this.prefix + ":events",
				"--latchkey.admin.password=" + ADMIN_PASSWORD,
				"--LATCHKEY_RESOURCE_API_SECRET={noop}restart-resource-secret",
				"--latchkey.introspection.allowed-clients=resource-api," + POLLER + "," + PUSHER,
				"--latchkey.signals.allowed-clients=" + POLLER + "," + PUSHER, "--latchkey.signals.issuer=" + ISSUER,
				"--latchkey.signals.allowed-push-urls=http://127.0.0.1:*/ssf/events",
				"--latchkey.signals.push-backoff=1h"));
		for (String client : List.of(POLLER, PUSHER)) {
			String registration = "--spring.security.oauth2.authorizationserver.client." + client + ".registration.";
			arguments.addAll(List.of(registration + "client-id=" + client,
					registration + "client-secret={noop}" + client + "-secret",
					registration + "client-authentication-methods=client_secret_basic",
					registration + "authorization-grant-types=client_credentials", registration + "scopes=ssf.stream"));
		}
		return new SpringApplicationBuilder(LatchkeyAuthServerApplication.class).run(arguments.toArray(String[]::new));
	}

	private static String base(ConfigurableApplicationContext context) {
		return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
	}

	private static String accessToken(String base, String client) {
		Http.Response response = Http.post(base + "/oauth2/token")
			.basic(client, client + "-secret")
			.form(Map.of("grant_type", "client_credentials", "scope", "ssf.stream"))
			.send();
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json().get("access_token").asString();
	}

	/** The administrator makes a token meant for the receivers and revokes it. */
	private static String revokeATokenFor(String base, List<String> audience) {
		Http.Response made = Http.post(base + "/api/me/tokens")
			.basic("admin", ADMIN_PASSWORD)
			.json(Map.of("audience", audience))
			.send();
		assertThat(made.status()).as(made.body()).isEqualTo(201);
		String token = made.json().get("token").asString();
		Http.Response revoked = Http.post(base + "/api/tokens/revoke")
			.basic("admin", ADMIN_PASSWORD)
			.json(Map.of("token", token))
			.send();
		assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
		return TokenDigest.of(token);
	}

	/** One poll that acknowledges {@code ack} and returns at once: jti to SET. */
	private static Map<String, String> poll(String base, String token, List<String> ack) {
		Http.Response response = Http.post(base + "/ssf/poll")
			.bearer(token)
			.json(Map.of("ack", ack, "returnImmediately", true))
			.send();
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		Map<String, String> sets = new LinkedHashMap<>();
		for (String jti : response.json().get("sets").propertyNames()) {
			sets.put(jti, response.json().get("sets").get(jti).asString());
		}
		return sets;
	}

	/** Each SET verified against the server's JWKS, as jti to the digest it names. */
	private static Map<String, String> digestsByJti(String base, Map<String, String> sets) throws Exception {
		Map<String, String> digests = new LinkedHashMap<>();
		for (Map.Entry<String, String> set : sets.entrySet()) {
			JWTClaimsSet claims = verified(base, set.getValue());
			assertThat(claims.getJWTID()).isEqualTo(set.getKey());
			digests.put(set.getKey(), digestOf(claims));
		}
		return digests;
	}

	private static String jtiOf(Map<String, String> digestsByJti, String digest) {
		Set<String> jtis = new HashSet<>();
		digestsByJti.forEach((jti, named) -> {
			if (named.equals(digest)) {
				jtis.add(jti);
			}
		});
		assertThat(jtis).hasSize(1);
		return jtis.iterator().next();
	}

	private static String digestOf(JWTClaimsSet set) throws Exception {
		assertThat(set.getJSONObjectClaim("events")).containsOnlyKeys(CREDENTIAL_CHANGE);
		return (String) set.getJSONObjectClaim("sub_id").get("id");
	}

	private static JWTClaimsSet verified(String base, String set) throws Exception {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("secevent+jwt")));
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
				JWKSourceBuilder.create(URI.create(base + "/oauth2/jwks").toURL()).build()));
		JWTClaimsSet claims = processor.process(set, null);
		assertThat(claims.getIssuer()).isEqualTo(ISSUER);
		return claims;
	}

}
