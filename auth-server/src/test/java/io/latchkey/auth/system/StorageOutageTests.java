package io.latchkey.auth.system;

import java.io.IOException;
import java.util.Map;

import io.latchkey.auth.Http;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis outage gives 503 with {@code Retry-After} everywhere, never access and never a
 * 500; service resumes when Redis is back. Uses a redis-server of its own, which it
 * stops.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "latchkey.admin.password=outage-admin-password")
class StorageOutageTests {

	private static final int REDIS_PORT = RealRedis.freePort();

	private static RedisServer redis = OwnRedis.start(REDIS_PORT);

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + REDIS_PORT);
	}

	@AfterAll
	static void stop() throws IOException {
		redis.stop();
	}

	@Test
	void requestsWhenRedisDownThen503NeverAccessAndRecoverWhenBack() throws IOException {
		String token = Http.post(url("/api/me/tokens"))
			.basic("admin", "outage-admin-password")
			.json("{\"audience\":[\"resource-api\",\"latchkey-api\"]}")
			.send()
			.json()
			.get("token")
			.asString();
		assertThat(introspect(token).json().get("active").asBoolean()).isTrue();

		redis.stop();

		// Until the dropped connection is noticed (on its event loop, milliseconds) the
		// hot token may
		// still be answered from memory: no revocation can be made meanwhile, since
		// revoking needs
		// Redis too. From then on, 503 for good.
		assertUnavailable(OwnRedis.eventually(() -> introspect(token), (response) -> response.status() == 503));
		assertUnavailable(introspect(token));
		assertUnavailable(Http.get(url("/api/me")).bearer(token).send());
		assertUnavailable(Http.get(url("/api/me/tokens")).basic("admin", "outage-admin-password").send());
		assertUnavailable(Http.post(url("/api/me/tokens")).basic("admin", "outage-admin-password").json("{}").send());
		Http.Response page = Http.get(url("/login")).header("Accept", "text/html").send();
		assertThat(page.status()).as("portal sessions live in Redis: the portal says it is unavailable").isEqualTo(503);
		assertThat(page.body()).contains("The service is unavailable").doesNotContain("Exception");
		Http.Response signIn = Http.post(url("/login"))
			.header("Accept", "text/html")
			.form(Map.of("username", "admin", "password", "outage-admin-password"))
			.send();
		assertThat(signIn.status()).as("sign-in during an outage says unavailable, not wrong password").isEqualTo(503);
		assertThat(signIn.body()).contains("The service is unavailable").doesNotContain("Wrong username or password");

		redis = OwnRedis.start(REDIS_PORT);
		Http.Response recovered = OwnRedis.eventually(
				() -> Http.get(url("/api/me")).basic("admin", "outage-admin-password").send(),
				(response) -> response.status() != 503);
		assertThat(recovered.status()).as("the restarted Redis is empty, so the admin is gone").isEqualTo(401);
	}

	private static void assertUnavailable(Http.Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(503);
		assertThat(response.header("Retry-After")).isNotBlank();
		assertThat(response.header("Content-Type")).contains("application/problem+json");
		assertThat(response.body()).doesNotContain("active").doesNotContain("Exception");
	}

	private Http.Response introspect(String token) {
		return Http.post(url("/oauth2/introspect"))
			.basic("resource-api", "resource-api-test-secret")
			.form(Map.of("token", token))
			.send();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}
