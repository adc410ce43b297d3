package io.latchkey.auth.system;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.auth.LatchkeyAuthServerApplication;
import io.latchkey.auth.PortalSession;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every input is bounded and validated once, in the services: the portal's form obeys the
 * API's rules, a user holds at most {@code max-per-user} live tokens, passwords fit
 * BCrypt's 72 bytes (the administrator's too, at start-up), bodies have a size limit, and
 * lists come in pages.
 */
class BoundedInputTests extends AuthServerTestBase {

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void generateInPortalWhenDescriptionTooLongThenFormShowsTheErrorAndNothingStored() {
		String user = newUser();
		PortalSession portal = session().signedIn(user, USER_PASSWORD);
		String page = portal.get("/account/tokens").body();
		Http.Response response = portal.form("/account/tokens",
				Map.of("nonce", PortalSession.nonce(page), "description", "d".repeat(256), "lifetimeDays", "7"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).contains("id=\"generate-error\"")
			.contains("description")
			.doesNotContain("id=\"new-token\"");
		assertThat(as(user, Http.get(url("/api/me/tokens"))).json().size()).isZero();
	}

	@Test
	void generateWhenUserAlreadyHasTheMaximumOfLiveTokensThen409AndExpiredOnesDoNotCount() {
		String user = newUser();
		long future = Instant.now().plusSeconds(86_400).toEpochMilli();
		long past = Instant.now().minusSeconds(60).toEpochMilli();
		for (int i = 0; i < 100; i++) {
			this.redis.opsForHash()
				.put(KEY_PREFIX + ":{dir}:tokens:" + user, "live-" + i, "digest-" + i + " " + future);
		}
		this.redis.opsForHash().put(KEY_PREFIX + ":{dir}:tokens:" + user, "old", "digest-old " + past);
		Http.Response response = asAdmin(Http.post(url("/api/users/" + user + "/tokens")).json(Map.of()));
		assertThat(response.status()).isEqualTo(409);
		assertThat(response.json().get("detail").asString()).contains("100 live tokens");

		this.redis.opsForHash().delete(KEY_PREFIX + ":{dir}:tokens:" + user, "live-0");
		assertThat(asAdmin(Http.post(url("/api/users/" + user + "/tokens")).json(Map.of())).status()).isEqualTo(201);
	}

	@Test
	void createUserWhenPasswordLongerThanBcryptsSeventyTwoBytesThen400NamingTheFieldAndNothingStored() {
		String name = "long-pw-" + System.nanoTime();
		Http.Response response = asAdmin(
				Http.post(url("/api/users")).json(Map.of("username", name, "password", "é".repeat(37))));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("password");
		assertThat(asAdmin(Http.get(url("/api/users/" + name))).status()).isEqualTo(404);
		assertThat(asAdmin(Http.post(url("/api/users")).json(Map.of("username", name, "password", "é".repeat(36))))
			.status()).isEqualTo(201);
	}

	@Test
	void startupWhenAdministratorPasswordLongerThanSeventyTwoBytesThenAClearErrorNamingTheProperty() {
		Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(LatchkeyAuthServerApplication.class)
			.run("--server.port=0", "--spring.data.redis.url=" + RealRedis.uri(),
					"--latchkey.redis.embedded.enabled=false",
					"--latchkey.redis.key-prefix=startup-" + System.nanoTime(),
					"--latchkey.admin.password=" + "x".repeat(73))
			.close());
		assertThat(failure).isNotNull();
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		assertThat(messages.toString()).contains("latchkey.admin.password").contains("72 bytes");
	}

	@Test
	void requestWhenBodyLargerThanTheLimitThen413AndNothingStored() throws Exception {
		String name = "huge-" + System.nanoTime();
		String body = "{\"username\":\"" + name + "\",\"displayName\":\"" + "x".repeat(70_000) + "\"}";
		Http.Response declared = asAdmin(Http.post(url("/api/users")).json(body));
		assertThat(declared.status()).isEqualTo(413);
		HttpResponse<String> chunked = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url("/api/users")))
				.header("Authorization",
						"Basic " + java.util.Base64.getEncoder()
							.encodeToString((ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofInputStream(() -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(chunked.statusCode()).isEqualTo(413);
		assertThat(asAdmin(Http.get(url("/api/users/" + name))).status()).isEqualTo(404);
	}

	@Test
	void listUsersWhenPagedThenOnePageWithLinkHeaderAndTotal() {
		newUser();
		newUser();
		Http.Response first = asAdmin(Http.get(url("/api/users?size=1")));
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.json().size()).isEqualTo(1);
		int total = Integer.parseInt(first.header("X-Total-Count"));
		assertThat(total).isGreaterThanOrEqualTo(3);
		assertThat(first.header("Link")).contains("rel=\"next\"")
			.contains("page=2")
			.contains("rel=\"last\"")
			.doesNotContain("rel=\"prev\"");
		Http.Response second = asAdmin(Http.get(url("/api/users?size=1&page=2")));
		assertThat(second.json().get(0).get("username").asString())
			.isNotEqualTo(first.json().get(0).get("username").asString());
		assertThat(second.header("Link")).contains("rel=\"prev\"");
	}

	@Test
	void listWhenPageSizeOutOfBoundsThen400NamingTheParameter() {
		Http.Response tooBig = asAdmin(Http.get(url("/api/users?size=1000")));
		assertThat(tooBig.status()).isEqualTo(400);
		assertThat(tooBig.json().get("errors").get(0).get("field").asString()).isEqualTo("size");
		Http.Response page = asAdmin(Http.get(url("/api/me/tokens?page=0")));
		assertThat(page.status()).isEqualTo(400);
		assertThat(page.json().get("errors").get(0).get("field").asString()).isEqualTo("page");
	}

	@Test
	void listTokensWhenPagedThenNewestFirstInPages() {
		String user = newUser();
		for (int i = 0; i < 3; i++) {
			generateToken(user, Map.of("description", "t" + i));
		}
		Http.Response page = asAdmin(Http.get(url("/api/users/" + user + "/tokens?size=2")));
		assertThat(page.json().size()).isEqualTo(2);
		assertThat(page.header("X-Total-Count")).isEqualTo("3");
		List<String> all = asAdmin(Http.get(url("/api/users/" + user + "/tokens"))).json()
			.values()
			.stream()
			.map((token) -> token.get("description").asString())
			.toList();
		assertThat(all).hasSize(3);
	}

	@Test
	void listWhenAQueryParameterIsHugeThenItNeverReachesTheLinkHeaderAndNever500() {
		String huge = "x".repeat(5000);
		Http.Response users = asAdmin(Http.get(url("/api/users?junk=" + huge)));
		assertThat(users.status()).isEqualTo(200);
		assertThat(users.header("Link")).doesNotContain("junk");
		Http.Response audit = asAdmin(Http.get(url("/api/audit?user=" + huge)));
		assertThat(audit.status()).isEqualTo(400);
		assertThat(audit.json().get("errors").get(0).get("field").asString()).isEqualTo("user");
		Http.Response tokens = asAdmin(Http.get(url("/api/me/tokens?page=1&" + huge + "=1")));
		assertThat(tokens.status()).isEqualTo(200);
		assertThat(tokens.header("Link")).doesNotContain(huge);
	}

	@Test
	void createUserWhenNameDiffersOnlyInCaseThen409() {
		String user = newUser();
		Http.Response response = asAdmin(Http.post(url("/api/users"))
			.json(Map.of("username", user.toUpperCase(), "password", "another-password")));
		assertThat(response.status()).isEqualTo(409);
		JsonNode me = Http.get(url("/api/me")).basic(user.toUpperCase(), USER_PASSWORD).send().json();
		assertThat(me.get("username").asString()).isEqualTo(user);
	}

}
