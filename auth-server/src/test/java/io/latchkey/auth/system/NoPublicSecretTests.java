package io.latchkey.auth.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.latchkey.auth.Http;
import io.latchkey.auth.LatchkeyAuthServerApplication;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule 11: no public secrets. Without a configured secret, the reference deployment
 * generates the resource API's client secret on first start into an owner-only file and
 * keeps it across restarts; the secret the README once documented is refused; a
 * configured secret still wins.
 */
class NoPublicSecretTests {

	private static final String PREFIX = "lksecret-" + UUID.randomUUID().toString().substring(0, 8);

	@TempDir
	Path data;

	@Test
	void firstStartWithoutConfiguredSecretThenGeneratedOwnerOnlyAndTheDocumentedDefaultRefused() throws Exception {
		Path file = this.data.resolve("resource-api-secret");
		String generated;
		try (ConfigurableApplicationContext app = start("--LATCHKEY_RESOURCE_API_SECRET=")) {
			assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
					PosixFilePermission.OWNER_WRITE);
			generated = Files.readString(file).strip();
			assertThat(generated).hasSizeGreaterThanOrEqualTo(32);
			assertThat(introspect(app, "resource-api-secret").status()).isEqualTo(401);
			assertThat(introspect(app, generated).status()).isEqualTo(200);
		}
		try (ConfigurableApplicationContext again = start("--LATCHKEY_RESOURCE_API_SECRET=")) {
			assertThat(Files.readString(file).strip()).isEqualTo(generated);
			assertThat(introspect(again, generated).status()).isEqualTo(200);
		}
		try (ConfigurableApplicationContext configured = start("--LATCHKEY_RESOURCE_API_SECRET={noop}configured-one")) {
			assertThat(introspect(configured, "configured-one").status()).isEqualTo(200);
			assertThat(introspect(configured, generated).status()).isEqualTo(401);
		}
	}

	private ConfigurableApplicationContext start(String secret) {
		List<String> arguments = new ArrayList<>(RealRedis.arguments());
		arguments.addAll(List.of("--server.port=0", "--latchkey.redis.key-prefix=" + PREFIX,
				"--latchkey.redis.events-channel=" + PREFIX + ":events",
				"--latchkey.admin.password=secret-test-admin-password",
				"--latchkey.reference.resource-api-secret-file=" + this.data.resolve("resource-api-secret"), secret));
		return new SpringApplicationBuilder(LatchkeyAuthServerApplication.class).run(arguments.toArray(String[]::new));
	}

	private static Http.Response introspect(ConfigurableApplicationContext context, String secret) {
		return Http
			.post("http://localhost:" + context.getEnvironment().getProperty("local.server.port")
					+ "/oauth2/introspect")
			.basic("resource-api", secret)
			.form(Map.of("token", "lkp_" + "b".repeat(36)))
			.send();
	}

}
