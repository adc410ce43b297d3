package io.latchkey.auth.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.latchkey.auth.Http;
import io.latchkey.auth.LatchkeyAuthServerApplication;
import io.latchkey.auth.PortalSession;
import io.latchkey.authorization.token.VerificationCache;
import io.latchkey.core.TokenDigest;
import io.latchkey.testsupport.CapturedLogs;
import io.latchkey.testsupport.RealRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-command start ({@code ./latchkey run}) survives a {@code kill -9} of its
 * embedded redis-server in the middle of a burst of token generations and revocations:
 * the auth server starts it again by itself on the same port and data folder, where it
 * replays its AOF ({@code appendfsync everysec}: a killed process loses nothing that
 * reached the kernel, and Redis appends before it answers). Readiness is down meanwhile,
 * every acknowledged generation introspects active and every acknowledged revocation
 * stays revoked; Lettuce reconnects, the events subscription is confirmed again (so the
 * verification cache serves and hears revocations again) and a portal session (Spring
 * Session, in Redis) still works.
 */
class EmbeddedRedisKilledTests {

	private static final String PASSWORD = "embedded-kill-admin-password";

	@TempDir
	Path dataDir;

	@Test
	void embeddedRedisWhenKilledMidBurstThenBackByItselfWithNothingAcknowledgedLost() throws Exception {
		int redisPort = RealRedis.freePort();
		List<ReadinessState> readiness = new CopyOnWriteArrayList<>();
		ApplicationListener<ApplicationEvent> readinessChanges = (event) -> {
			if (event instanceof AvailabilityChangeEvent<?> change
					&& change.getState() instanceof ReadinessState state) {
				readiness.add(state);
			}
		};
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(LatchkeyAuthServerApplication.class)
			.listeners(readinessChanges)
			.run("--server.port=0", "--latchkey.redis.embedded.enabled=true",
					"--latchkey.redis.embedded.port=" + redisPort, "--latchkey.redis.embedded.data-dir=" + this.dataDir,
					// a second before the first try (100 ms by default), so that the
					// readiness probe is seen down over HTTP
					"--latchkey.redis.embedded.restart.initial-interval=1s", "--latchkey.admin.password=" + PASSWORD,
					"--latchkey.tokens.max-per-user=100000", "--spring.data.redis.timeout=1s",
					// a hot token would be served from memory for 10 minutes if the
					// revocation event did not arrive
					"--latchkey.introspection.cache-max-age=10m")) {
			String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
			VerificationCache cache = app.getBean(VerificationCache.class);
			FailoverBurst.awaitOrFail(cache::isLive, "the events subscription");
			assertThat(readiness(base).status()).isEqualTo(200);
			PortalSession portal = new PortalSession(base).signedIn("admin", PASSWORD);
			long pid = redisProcessId(redisPort);
			int logsBefore = CapturedLogs.events().size();
			int readinessBefore = readiness.size();
			long[] figures = new long[2];

			FailoverBurst burst = new FailoverBurst(base, "admin", PASSWORD);
			burst.run(2, () -> {
				long killedAt = System.nanoTime();
				kill9(pid);
				FailoverBurst.awaitOrFail(() -> readiness(base).status() == 503, "readiness to go down");
				figures[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
				FailoverBurst.awaitOrFail(() -> readiness(base).status() == 200, "readiness to come back");
				figures[1] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
			});
			System.out.println(burst.report("embedded") + "; readiness down at +" + figures[0] + " ms, up at +"
					+ figures[1] + " ms (restart.initial-interval 1s)");

			assertThat(burst.unexpected).as("answers other than 201, 204 or 503 with Retry-After").isEmpty();
			assertThat(burst.sawUnavailable()).as("requests during the outage get 503").isTrue();
			assertThat(redisProcessId(redisPort)).as("a new redis-server").isNotEqualTo(pid);
			assertThat(readiness.subList(readinessBefore, readiness.size()))
				.containsExactly(ReadinessState.REFUSING_TRAFFIC, ReadinessState.ACCEPTING_TRAFFIC);
			assertThat(readiness(base).body()).contains("\"status\":\"UP\"");
			assertThat(lost(base, redisPort, burst)).as("acknowledged changes lost to the kill").isEmpty();

			FailoverBurst.awaitOrFail(cache::isLive, "the events subscription to be confirmed again");
			JsonNode generated = Http.post(base + "/api/me/tokens").basic("admin", PASSWORD).json("{}").send().json();
			String hot = generated.get("token").asString();
			assertThat(introspect(base, hot)).contains("\"active\":true");
			assertThat(introspect(base, hot)).as("now from the verification cache").contains("\"active\":true");
			Http.Response revoked = Http.delete(base + "/api/me/tokens/" + generated.get("id").asString())
				.basic("admin", PASSWORD)
				.send();
			assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
			FailoverBurst.awaitOrFail(() -> introspect(base, hot).equals("{\"active\":false}"),
					"the revocation event to drop the cached token");
			assertThat(portal.get("/account/tokens").status()).as("the portal session, kept in Redis").isEqualTo(200);

			List<String> logs = CapturedLogs.events().subList(logsBefore, CapturedLogs.events().size());
			assertThat(logs)
				.anyMatch((line) -> line.contains("redis-server on 127.0.0.1:" + redisPort + " exited (exit code 137)"))
				.anyMatch((line) -> line.contains("Restarted the embedded redis-server on 127.0.0.1:" + redisPort))
				.anyMatch((line) -> line.contains("reaches the embedded redis-server on 127.0.0.1:" + redisPort));
			for (String secret : List.of("password", "resource-api.password")) {
				String value = Files.readString(this.dataDir.resolve(secret)).strip();
				assertThat(logs).as(secret + " never in the log").noneMatch((line) -> line.contains(value));
			}
		}
	}

	/** Tokens whose acknowledged creation or revocation is not what Redis now holds. */
	private List<String> lost(String base, int redisPort, FailoverBurst burst) throws Exception {
		List<String> lost = new ArrayList<>();
		try (RedisClient client = owner(redisPort); StatefulRedisConnection<String, String> redis = client.connect()) {
			for (FailoverBurst.Token token : burst.created) {
				boolean revoked = burst.revoked.contains(token.id());
				boolean stored = redis.sync().exists("lk:token:{" + TokenDigest.of(token.value()) + "}") == 1;
				boolean active = introspect(base, token.value()).contains("\"active\":true");
				if (stored == revoked || active == revoked) {
					lost.add(token.id() + (revoked ? ": revoked, but back" : ": created, but gone"));
				}
			}
		}
		return lost;
	}

	private long redisProcessId(int redisPort) throws Exception {
		try (RedisClient client = owner(redisPort); StatefulRedisConnection<String, String> redis = client.connect()) {
			return redis.sync()
				.info("server")
				.lines()
				.filter((line) -> line.startsWith("process_id:"))
				.mapToLong((line) -> Long.parseLong(line.substring("process_id:".length()).strip()))
				.findFirst()
				.orElseThrow();
		}
	}

	private RedisClient owner(int redisPort) throws Exception {
		String password = Files.readString(this.dataDir.resolve("password")).strip();
		return RedisClient.create(RedisURI.builder()
			.withHost("127.0.0.1")
			.withPort(redisPort)
			.withPassword(password.toCharArray())
			.build());
	}

	private static void kill9(long pid) {
		try {
			Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start();
			assertThat(kill.waitFor()).as("kill -9 " + pid).isZero();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Http.Response readiness(String base) {
		return Http.get(base + "/actuator/health/readiness").send();
	}

	private static String introspect(String base, String token) {
		Http.Response answer = Http.post(base + "/oauth2/introspect")
			.basic("resource-api", "resource-api-test-secret")
			.form(Map.of("token", token))
			.send();
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return answer.body();
	}

}
