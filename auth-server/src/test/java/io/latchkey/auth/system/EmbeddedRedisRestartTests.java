package io.latchkey.auth.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.latchkey.auth.CapturedLogs;
import io.latchkey.auth.Http;
import io.latchkey.auth.LatchkeyAuthServerApplication;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The out-of-the-box mode: no Redis configured, so the auth server starts its own redis-server
 * with AOF in a data folder, creates the first administrator with a generated password printed
 * once, and a token survives a restart of the whole thing.
 */
class EmbeddedRedisRestartTests {

	private static final Pattern GENERATED = Pattern.compile("generated password: (\\S+)");

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
			assertThat(logs).anyMatch((line) -> line.contains("started the embedded redis-server on 127.0.0.1:" + redisPort));
			password = logs.stream()
				.map(GENERATED::matcher)
				.filter(Matcher::find)
				.map((matcher) -> matcher.group(1))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no generated admin password in the log"));
			token = Http.post(url(first, "/api/me/tokens")).basic("admin", password).json("{}").send().json()
				.get("token")
				.asString();
			assertThat(introspect(first, token)).contains("\"active\":true");
		}
		assertThat(Files.list(this.dataDir).map(Path::getFileName).map(Path::toString).toList())
			.anyMatch((name) -> name.startsWith("appendonly"));

		int logsBetween = CapturedLogs.events().size();
		try (ConfigurableApplicationContext second = start(redisPort)) {
			assertThat(introspect(second, token)).contains("\"active\":true");
			assertThat(Http.get(url(second, "/api/me")).basic("admin", password).send().status()).isEqualTo(200);
			assertThat(CapturedLogs.events().subList(logsBetween, CapturedLogs.events().size()))
				.noneMatch((line) -> GENERATED.matcher(line).find());
		}
	}

	private ConfigurableApplicationContext start(int redisPort) {
		return new SpringApplicationBuilder(LatchkeyAuthServerApplication.class).run("--server.port=0",
				"--latchkey.redis.embedded.enabled=true", "--latchkey.redis.embedded.port=" + redisPort,
				"--latchkey.redis.embedded.data-dir=" + this.dataDir, "--latchkey.admin.password=");
	}

	private static String introspect(ConfigurableApplicationContext context, String token) {
		return Http.post(url(context, "/oauth2/introspect"))
			.basic("resource-api", "resource-api-secret")
			.form(Map.of("token", token))
			.send()
			.body();
	}

	private static String url(ConfigurableApplicationContext context, String path) {
		return "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + path;
	}

}
