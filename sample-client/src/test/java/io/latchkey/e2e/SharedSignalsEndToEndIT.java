package io.latchkey.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.latchkey.testsupport.AppProcess;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.Test;

import static io.latchkey.e2e.Api.basic;
import static io.latchkey.e2e.Api.bearer;
import static io.latchkey.e2e.Api.send;
import static io.latchkey.e2e.Api.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resource API with no Redis of its own hears revocations by OpenID Shared Signals:
 * the auth server as a transmitter allowing the resource API's client a stream, the
 * resource API polling it ({@code latchkey.resource.events.source=ssf}) or pushed to
 * ({@code latchkey.resource.events.delivery=push}); a token it cached is refused within a
 * second of its revocation. Pushed to, it refuses (401) and ignores whatever does not
 * carry the secret header it gave the transmitter.
 */
class SharedSignalsEndToEndIT {

	private static final Path LOGS = Path.of("target", "e2e");

	@Test
	void revokeWhenTheResourceApiHearsBySharedSignalsThenItsCachedTokenIsRefusedWithinASecond() throws Exception {
		int authPort = RealRedis.freePort();
		try (AppProcess authServer = authServer("ssf", authPort, List.of());
				AppProcess resourceApi = resourceApi("ssf", RealRedis.freePort(), authPort,
						List.of("--latchkey.resource.events.poll-every=100ms"))) {
			authServer.start();
			resourceApi.start();
			awaitReceiving(resourceApi, "polling");
			String token = cachedToken(authServer, resourceApi);
			assertRefusedWithinASecondOfRevocation(authServer, resourceApi, token);
			Stack.assertNoTokensInLog(authServer);
			Stack.assertNoTokensInLog(resourceApi);
		}
	}

	@Test
	void revokeWhenTheResourceApiIsPushedToThenItsCachedTokenIsRefusedWithinASecondAndOthersCannotPush()
			throws Exception {
		int authPort = RealRedis.freePort();
		int resourcePort = RealRedis.freePort();
		String pushUrl = "http://localhost:" + resourcePort + "/ssf/events";
		try (AppProcess authServer = authServer("ssf-push", authPort,
				List.of("--latchkey.signals.allowed-push-urls=http://localhost:*/ssf/events"));
				AppProcess resourceApi = resourceApi("ssf-push", resourcePort, authPort,
						List.of("--latchkey.resource.events.delivery=push",
								"--latchkey.resource.events.push-url=" + pushUrl))) {
			authServer.start();
			resourceApi.start();
			awaitReceiving(resourceApi, "pushed to " + pushUrl);
			String token = cachedToken(authServer, resourceApi);

			String forged = forgedRevocation(token, authServer.url(""));
			for (String authorization : new String[] { null, "Bearer not-the-secret", bearer(token) }) {
				HttpResponse<String> refused = push(pushUrl, authorization, forged);
				assertThat(refused.statusCode()).as("a push without the secret header").isEqualTo(401);
				assertThat(refused.body()).as("answered by the push endpoint").contains("authentication_failed");
			}
			double misses = cacheMisses(resourceApi);
			assertThat(whoami(resourceApi, token)).isEqualTo(200);
			assertThat(cacheMisses(resourceApi)).as("a refused push dropped nothing").isEqualTo(misses);

			assertRefusedWithinASecondOfRevocation(authServer, resourceApi, token);
			Stack.assertNoTokensInLog(authServer);
			Stack.assertNoTokensInLog(resourceApi);
		}
	}

	/**
	 * The auth server as a transmitter allowing the resource API's client a stream
	 * ({@code client_credentials}, scope {@code ssf.stream}).
	 */
	private static AppProcess authServer(String name, int port, List<String> extra) {
		String prefix = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
		String client = "spring.security.oauth2.authorizationserver.client.resource-api.registration.";
		List<String> arguments = new ArrayList<>(List.of("--spring.data.redis.url=" + RealRedis.uri(),
				"--latchkey.admin.password=" + Stack.ADMIN_PASSWORD,
				"--LATCHKEY_RESOURCE_API_SECRET={noop}" + Stack.CLIENT_SECRET, "--latchkey.redis.key-prefix=" + prefix,
				"--latchkey.redis.events-channel=" + prefix + ":events",
				"--" + client + "authorization-grant-types=urn:ietf:params:oauth:grant-type:token-exchange,"
						+ "client_credentials",
				"--" + client + "scopes=ssf.stream", "--latchkey.signals.allowed-clients=resource-api"));
		arguments.addAll(extra);
		return new AppProcess("auth-server", jar("auth-server"), port, LOGS.resolve(name + "-auth-server.log"),
				arguments);
	}

	/**
	 * The resource API hearing events by Shared Signals, with no Redis: a port nothing
	 * listens on, and no Redis health in readiness.
	 */
	private static AppProcess resourceApi(String name, int port, int authPort, List<String> extra) {
		List<String> arguments = new ArrayList<>(List.of("--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + RealRedis.freePort(), "--management.health.redis.enabled=false",
				"--spring.security.oauth2.resourceserver.opaquetoken.introspection-uri=http://localhost:" + authPort
						+ "/oauth2/introspect",
				"--spring.security.oauth2.resourceserver.opaquetoken.client-secret=" + Stack.CLIENT_SECRET,
				"--latchkey.resource.events.source=ssf"));
		arguments.addAll(extra);
		return new AppProcess("resource-api", jar("resource-api"), port, RealRedis.freePort(),
				LOGS.resolve(name + "-resource-api.log"), arguments);
	}

	private static void awaitReceiving(AppProcess resourceApi, String how) {
		String receiving = "Receiving the auth server's events by Shared Signals: " + how;
		assertThat(until(Duration.ofSeconds(30), () -> log(resourceApi), (log) -> log.contains(receiving)))
			.contains(receiving);
	}

	/**
	 * A new token, whose answer the resource API has cached (no miss the second time).
	 */
	private static String cachedToken(AppProcess authServer, AppProcess resourceApi) {
		String token = send("POST", authServer.url("/api/me/tokens"), basic("admin", Stack.ADMIN_PASSWORD), Map.of())
			.json()
			.get("token")
			.asString();
		assertThat(whoami(resourceApi, token)).isEqualTo(200);
		double misses = cacheMisses(resourceApi);
		assertThat(whoami(resourceApi, token)).isEqualTo(200);
		assertThat(cacheMisses(resourceApi)).as("the answer was cached").isEqualTo(misses);
		return token;
	}

	private static void assertRefusedWithinASecondOfRevocation(AppProcess authServer, AppProcess resourceApi,
			String token) {
		assertThat(send("POST", authServer.url("/api/tokens/revoke"), basic("admin", Stack.ADMIN_PASSWORD),
				Map.of("token", token))
			.status()).isEqualTo(204);
		long revokedAt = System.nanoTime();
		assertThat(until(Duration.ofSeconds(1), () -> whoami(resourceApi, token), (status) -> status == 401))
			.as("refused within a second of the revocation")
			.isEqualTo(401);
		assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(1));
	}

	/**
	 * A revocation of {@code token} as the transmitter would word it, signed by a key of
	 * the forger's own.
	 */
	private static String forgedRevocation(String token, String issuer) throws Exception {
		String digest = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer.replaceAll("/+$", ""))
			.audience("resource-api")
			.issueTime(new Date())
			.jwtID(UUID.randomUUID().toString())
			.claim("sub_id", Map.of("format", "opaque", "id", digest))
			.claim("events",
					Map.of("https://schemas.openid.net/secevent/caep/event-type/credential-change",
							Map.of("credential_type", "personal-access-token", "change_type", "revoke")))
			.build();
		SignedJWT set = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("secevent+jwt")).build(), claims);
		set.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));
		return set.serialize();
	}

	private static HttpResponse<String> push(String pushUrl, String authorization, String set) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pushUrl))
			.header("Content-Type", "application/secevent+jwt")
			.POST(HttpRequest.BodyPublishers.ofString(set));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int whoami(AppProcess resourceApi, String token) {
		return send("GET", resourceApi.url("/api/whoami"), bearer(token), null).status();
	}

	private static double cacheMisses(AppProcess resourceApi) {
		return send("GET",
				resourceApi.managementUrl("/actuator/metrics/cache.gets?tag=cache:introspection&tag=result:miss"), null,
				null)
			.json()
			.get("measurements")
			.get(0)
			.get("value")
			.asDouble();
	}

	private static String log(AppProcess app) {
		try {
			return Files.readString(app.log());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path jar(String module) {
		Path jar = Path.of("..", module, "target", "latchkey-" + module + "-exec.jar");
		assertThat(jar).as("built by the reactor before these tests").exists();
		return jar;
	}

}
