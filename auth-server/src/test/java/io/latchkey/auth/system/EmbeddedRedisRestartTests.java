package io.latchkey.auth.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;

import io.latchkey.auth.Http;
import io.latchkey.auth.LatchkeyAuthServerApplication;
import io.latchkey.testsupport.CapturedLogs;
import io.latchkey.testsupport.RealRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The out-of-the-box mode: no Redis configured, so the auth server starts its own
 * redis-server with AOF in a data folder, requiring a generated password and giving
 * resource services a user that may only subscribe to the events channel, creates the
 * first administrator with a generated password printed once, and a token survives a
 * restart of the whole thing.
 */
class EmbeddedRedisRestartTests {

	@TempDir
	Path dataDir;

	@Test
	void restartWhenEmbeddedRedisWithAofThenTokensAndAdminSurvive() throws Exception {
		int redisPort = RealRedis.freePort();
		int logsBefore = CapturedLogs.events().size();
		String token;
		String password;
		try (ConfigurableApplicationContext first = start(redisPort)) {
			List<String> logs = CapturedLogs.events().subList(logsBefore, CapturedLogs.events().size());
			assertThat(logs)
				.anyMatch((line) -> line.contains("started the embedded redis-server on 127.0.0.1:" + redisPort));
			Path file = this.dataDir.resolve("admin-password");
			String generated = Files.readString(file).strip();
			password = generated;
			assertThat(generated).hasSize(20);
			assertThat(Files.getPosixFilePermissions(file)).as("readable by its owner only")
				.containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
			assertThat(logs).as("never in the log").noneMatch((line) -> line.contains(generated));
			assertThat(logs).anyMatch((line) -> line.contains("generated password, written to " + file));
			token = Http.post(url(first, "/api/me/tokens"))
				.basic("admin", password)
				.json("{}")
				.send()
				.json()
				.get("token")
				.asString();
			assertThat(introspect(first, token)).contains("\"active\":true");
			assertRedisRequiresPasswordAndResourceServicesOnlySubscribe(redisPort);
		}
		assertThat(Files.list(this.dataDir).map(Path::getFileName).map(Path::toString).toList())
			.anyMatch((name) -> name.startsWith("appendonly"));

		int logsBetween = CapturedLogs.events().size();
		try (ConfigurableApplicationContext second = start(redisPort)) {
			assertThat(introspect(second, token)).contains("\"active\":true");
			assertThat(Http.get(url(second, "/api/me")).basic("admin", password).send().status()).isEqualTo(200);
			assertThat(CapturedLogs.events().subList(logsBetween, CapturedLogs.events().size()))
				.noneMatch((line) -> line.contains("generated password"));
		}
	}

	/**
	 * The embedded Redis's own users: a password for everything, a subscriber that can
	 * read nothing of ours.
	 */
	private void assertRedisRequiresPasswordAndResourceServicesOnlySubscribe(int redisPort) throws Exception {
		assertThat(Files.readAllLines(this.dataDir.resolve("users.acl"))).noneMatch((line) -> line.contains(">"));
		for (String secret : List.of("users.acl", "password", "resource-api.password")) {
			assertThat(Files.getPosixFilePermissions(this.dataDir.resolve(secret))).as(secret + " is owner-only")
				.containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
		}
		try (RedisClient anonymous = RedisClient.create("redis://127.0.0.1:" + redisPort)) {
			assertThatExceptionOfType(RedisException.class).isThrownBy(() -> {
				try (StatefulRedisConnection<String, String> connection = anonymous.connect()) {
					connection.sync().keys("*");
				}
			});
		}
		String password = Files.readString(this.dataDir.resolve("password")).strip();
		String subscriberPassword = Files.readString(this.dataDir.resolve("resource-api.password")).strip();
		try (RedisClient owner = RedisClient.create(RedisURI.builder()
			.withHost("127.0.0.1")
			.withPort(redisPort)
			.withPassword(password.toCharArray())
			.build());
				RedisClient subscriber = RedisClient.create(RedisURI.builder()
					.withHost("127.0.0.1")
					.withPort(redisPort)
					.withAuthentication("resource-api", subscriberPassword)
					.build())) {
			List<String> keys = owner.connect().sync().keys("lk:*");
			assertThat(keys).isNotEmpty();
			RedisCommands<String, String> restricted = subscriber.connect().sync();
			assertThat(restricted.ping()).isEqualTo("PONG");
			assertThat(restricted.set("rapi:probe", "ok")).isEqualTo("OK");
			assertThatExceptionOfType(RedisCommandExecutionException.class)
				.isThrownBy(() -> restricted.type(keys.get(0)))
				.withMessageContaining("NOPERM");
			assertThatExceptionOfType(RedisCommandExecutionException.class)
				.isThrownBy(() -> restricted.set("lk:forged", "x"))
				.withMessageContaining("NOPERM");
			assertThatExceptionOfType(RedisCommandExecutionException.class)
				.isThrownBy(() -> restricted.publish("latchkey:events", "{\"type\":\"forged\"}"))
				.withMessageContaining("NOPERM");
			assertThatExceptionOfType(RedisCommandExecutionException.class).isThrownBy(() -> restricted.keys("*"))
				.withMessageContaining("NOPERM");
			StatefulRedisPubSubConnection<String, String> events = subscriber.connectPubSub();
			events.sync().subscribe("latchkey:events");
			assertThatExceptionOfType(RedisCommandExecutionException.class)
				.isThrownBy(() -> subscriber.connectPubSub().sync().subscribe("other-channel"))
				.withMessageContaining("NOPERM");
			events.close();
		}
	}

	private ConfigurableApplicationContext start(int redisPort) {
		return new SpringApplicationBuilder(LatchkeyAuthServerApplication.class).run("--server.port=0",
				"--latchkey.redis.embedded.enabled=true", "--latchkey.redis.embedded.port=" + redisPort,
				"--latchkey.redis.embedded.data-dir=" + this.dataDir, "--latchkey.admin.password=",
				"--latchkey.admin.generated-password-file=" + this.dataDir.resolve("admin-password"));
	}

	private static String introspect(ConfigurableApplicationContext context, String token) {
		return Http.post(url(context, "/oauth2/introspect"))
			.basic("resource-api", "resource-api-test-secret")
			.form(Map.of("token", token))
			.send()
			.body();
	}

	private static String url(ConfigurableApplicationContext context, String path) {
		return "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + path;
	}

}
