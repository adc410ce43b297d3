package io.latchkey.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
 * resource API polling it ({@code latchkey.resource.events.source=ssf}); a token it
 * cached is refused within a second of its revocation.
 */
class SharedSignalsEndToEndIT {

	@Test
	void revokeWhenTheResourceApiHearsBySharedSignalsThenItsCachedTokenIsRefusedWithinASecond() throws Exception {
		String prefix = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
		Path logs = Path.of("target", "e2e");
		int authPort = RealRedis.freePort();
		String client = "spring.security.oauth2.authorizationserver.client.resource-api.registration.";
		AppProcess authServer = new AppProcess("auth-server", jar("auth-server"), authPort,
				logs.resolve("ssf-auth-server.log"),
				List.of("--spring.data.redis.url=" + RealRedis.uri(),
						"--latchkey.admin.password=" + Stack.ADMIN_PASSWORD,
						"--LATCHKEY_RESOURCE_API_SECRET={noop}" + Stack.CLIENT_SECRET,
						"--latchkey.redis.key-prefix=" + prefix,
						"--latchkey.redis.events-channel=" + prefix + ":events",
						"--" + client + "authorization-grant-types=urn:ietf:params:oauth:grant-type:token-exchange,"
								+ "client_credentials",
						"--" + client + "scopes=ssf.stream", "--latchkey.signals.allowed-clients=resource-api"));
		// no Redis: a port nothing listens on, and no Redis health in readiness
		AppProcess resourceApi = new AppProcess("resource-api", jar("resource-api"), RealRedis.freePort(),
				RealRedis.freePort(), logs.resolve("ssf-resource-api.log"),
				List.of("--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + RealRedis.freePort(),
						"--management.health.redis.enabled=false",
						"--spring.security.oauth2.resourceserver.opaquetoken.introspection-uri=http://localhost:"
								+ authPort + "/oauth2/introspect",
						"--spring.security.oauth2.resourceserver.opaquetoken.client-secret=" + Stack.CLIENT_SECRET,
						"--latchkey.resource.events.source=ssf", "--latchkey.resource.events.poll-every=100ms"));
		try (authServer; resourceApi) {
			authServer.start();
			resourceApi.start();
			assertThat(until(Duration.ofSeconds(30), () -> log(resourceApi),
					(log) -> log.contains("Receiving the auth server's events by Shared Signals")))
				.contains("Receiving the auth server's events by Shared Signals");
			String token = send("POST", authServer.url("/api/me/tokens"), basic("admin", Stack.ADMIN_PASSWORD),
					Map.of())
				.json()
				.get("token")
				.asString();
			assertThat(whoami(resourceApi, token)).isEqualTo(200);
			double misses = cacheMisses(resourceApi);
			assertThat(whoami(resourceApi, token)).isEqualTo(200);
			assertThat(cacheMisses(resourceApi)).as("the answer was cached").isEqualTo(misses);

			assertThat(send("POST", authServer.url("/api/tokens/revoke"), basic("admin", Stack.ADMIN_PASSWORD),
					Map.of("token", token))
				.status()).isEqualTo(204);
			long revokedAt = System.nanoTime();
			assertThat(until(Duration.ofSeconds(1), () -> whoami(resourceApi, token), (status) -> status == 401))
				.as("refused within a second of the revocation")
				.isEqualTo(401);
			assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(1));
			Stack.assertNoTokensInLog(authServer);
			Stack.assertNoTokensInLog(resourceApi);
		}
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
