package io.latchkey.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.latchkey.client.SampleClient;
import io.latchkey.testsupport.AppProcess;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.Test;

import static io.latchkey.e2e.Api.basic;
import static io.latchkey.e2e.Api.bearer;
import static io.latchkey.e2e.Api.client;
import static io.latchkey.e2e.Api.send;
import static org.assertj.core.api.Assertions.assertThat;

/** Fail closed: without an answer from the auth server, no access. */
class AuthServerDownIT {

	@Test
	void authServerStoppedThenUncachedToken503NeverOkAndClientSaysSo() {
		try (Stack stack = Stack.start("auth-down")) {
			String admin = basic("admin", Stack.ADMIN_PASSWORD);
			String cached = send("POST", stack.authServer.url("/api/me/tokens"), admin, Map.of()).json()
				.get("token")
				.asString();
			String uncached = send("POST", stack.authServer.url("/api/me/tokens"), admin, Map.of()).json()
				.get("token")
				.asString();
			assertThat(send("GET", stack.resourceApi.url("/api/whoami"), bearer(cached), null).status()).isEqualTo(200);

			stack.authServer.close();

			Api.Response refused = send("GET", stack.resourceApi.url("/api/projects"), bearer(uncached), null);
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.header("Retry-After")).isNotBlank();
			assertThat(refused.raw().body()).contains("auth server").doesNotContain("Exception");
			assertThat(
					send("GET", stack.resourceApi.url("/api/whoami"), bearer("lkp_" + "x".repeat(36)), null).status())
				.as("unknown tokens are not let through either")
				.isEqualTo(503);
			assertThat(send("GET", stack.resourceApi.url("/api/whoami"), bearer(cached), null).status())
				.as("a cached answer stays valid for at most the cache's maximum age")
				.isEqualTo(200);

			Api.ClientRun run = client(
					Map.of("LATCHKEY_TOKEN", uncached, "LATCHKEY_API_URL", stack.resourceApi.url("")), "projects",
					"list");
			assertThat(run.exitCode()).isEqualTo(SampleClient.UNAVAILABLE);
			assertThat(run.err()).contains("503");
			stack.assertNoTokensInLogs();
		}
	}

	@Test
	void authServerHangingThen503AfterTheReadTimeout() throws IOException {
		List<Socket> held = new ArrayList<>();
		try (ServerSocket blackHole = new ServerSocket(0)) {
			Thread acceptor = Thread.ofVirtual().start(() -> {
				while (!blackHole.isClosed()) {
					try {
						held.add(blackHole.accept());
					}
					catch (IOException ex) {
						return;
					}
				}
			});
			try (AppProcess resourceApi = new AppProcess("resource-api",
					Path.of("..", "resource-api", "target", "latchkey-resource-api-exec.jar"), RealRedis.freePort(),
					Path.of("target", "e2e", "hanging-resource-api.log"),
					List.of("--spring.data.redis.url=" + RealRedis.uri(),
							"--spring.security.oauth2.resourceserver.opaquetoken.introspection-uri=http://127.0.0.1:"
									+ blackHole.getLocalPort() + "/oauth2/introspect",
							"--latchkey.resource.introspection.read-timeout=1s",
							"--spring.security.oauth2.resourceserver.opaquetoken.client-secret=" + Stack.CLIENT_SECRET))
				.start()) {
				Api.Response response = send("GET", resourceApi.url("/api/whoami"), bearer("lkp_" + "y".repeat(36)),
						null);
				assertThat(response.status()).isEqualTo(503);
				assertThat(response.header("Retry-After")).isNotBlank();
			}
			acceptor.interrupt();
		}
		finally {
			for (Socket socket : held) {
				socket.close();
			}
		}
	}

	@Test
	void clientWhenApiUnreachableThenConnectionErrorExitCode() {
		Api.ClientRun run = client(Map.of("LATCHKEY_TOKEN", "lkp_" + "z".repeat(36), "LATCHKEY_API_URL",
				"http://127.0.0.1:" + RealRedis.freePort()), "whoami");
		assertThat(run.exitCode()).isEqualTo(SampleClient.CONNECTION_FAILED);
		assertThat(run.err()).startsWith("latchkey-client: cannot connect").doesNotContain("lkp_");
		assertThat(run.err().lines()).hasSize(1);
	}

}
