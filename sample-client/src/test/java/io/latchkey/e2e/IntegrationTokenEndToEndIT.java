package io.latchkey.e2e;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.latchkey.client.SampleClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static io.latchkey.e2e.Api.basic;
import static io.latchkey.e2e.Api.bearer;
import static io.latchkey.e2e.Api.client;
import static io.latchkey.e2e.Api.send;
import static io.latchkey.e2e.Api.sendFrom;
import static io.latchkey.e2e.Api.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's scenario, end to end over real HTTP: an administrator creates a dedicated
 * integration user in a group with only {@code projects.read} and gives it a token; the
 * integration reads projects but cannot create one; revoking, disabling the user or
 * taking the right from the group ends that within one second, although the resource API
 * had cached the answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntegrationTokenEndToEndIT {

	private static final Duration PUSH_DEADLINE = Duration.ofSeconds(1);

	private static final String USER_PASSWORD = "integration-password";

	private Stack stack;

	private String admin;

	@BeforeAll
	void start() {
		this.stack = Stack.start("integration");
		this.admin = basic("admin", Stack.ADMIN_PASSWORD);
		String writer = newUser(newGroup("projects.read", "projects.write"));
		String writerToken = tokenFor(writer);
		assertThat(api("POST", "/api/projects", writerToken, Map.of("name", "Localization 2026")).status())
			.isEqualTo(201);
	}

	@AfterAll
	void stop() {
		try {
			this.stack.assertNoTokensInLogs();
		}
		finally {
			this.stack.close();
		}
	}

	@Test
	void readOnlyTokenListsProjectsButCannotCreateThem() {
		String token = tokenFor(newUser(newGroup("projects.read")));

		Api.ClientRun list = client(env(token), "projects", "list");
		assertThat(list.exitCode()).as(list.err()).isEqualTo(SampleClient.OK);
		assertThat(list.out()).contains("Localization 2026");

		Api.Response refused = api("POST", "/api/projects", token, Map.of("name", "Not allowed"));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"");

		Api.ClientRun create = client(env(token), "projects", "create", "Not allowed");
		assertThat(create.exitCode()).isEqualTo(SampleClient.FORBIDDEN);
		assertThat(create.err()).contains("403").doesNotContain(token);
		assertThat(client(env(token), "projects", "list").out()).doesNotContain("Not allowed");
	}

	@Test
	void whoamiAnswersOwnerAndEffectiveScopes() {
		String user = newUser(newGroup("projects.read"));
		Api.ClientRun whoami = client(env(tokenFor(user)), "whoami");
		assertThat(whoami.exitCode()).isEqualTo(SampleClient.OK);
		assertThat(whoami.out().strip()).isEqualTo(user + " (scopes: projects.read)");
	}

	@Test
	void revokedTokenIsRefusedWithinOneSecondAlthoughCached() {
		String user = newUser(newGroup("projects.read"));
		Map<String, Object> created = generate(user);
		String token = (String) created.get("token");
		assertCachedAnswerServes(token);

		assertThat(send("DELETE", authUrl("/api/users/" + user + "/tokens/" + created.get("id")), this.admin, null)
			.status()).isEqualTo(204);
		assertRefusedWithin(token, 401);
		Api.ClientRun run = client(env(token), "projects", "list");
		assertThat(run.exitCode()).isEqualTo(SampleClient.UNAUTHORIZED);
		assertThat(run.err()).contains("401");
	}

	@Test
	void leakedTokenRevokedByStringIsRefusedWithinOneSecond() {
		String token = tokenFor(newUser(newGroup("projects.read")));
		assertCachedAnswerServes(token);
		assertThat(send("POST", authUrl("/api/tokens/revoke"), this.admin, Map.of("token", token)).status())
			.isEqualTo(204);
		assertRefusedWithin(token, 401);
	}

	@Test
	void disabledUserIsRefusedWithinOneSecond() {
		String user = newUser(newGroup("projects.read"));
		String token = tokenFor(user);
		assertCachedAnswerServes(token);
		send("PATCH", authUrl("/api/users/" + user), this.admin, Map.of("enabled", false));
		assertRefusedWithin(token, 401);
	}

	@Test
	void rightRemovedFromGroupIsRefusedWithinOneSecond() {
		String group = newGroup("projects.read");
		String token = tokenFor(newUser(group));
		assertCachedAnswerServes(token);
		send("PUT", authUrl("/api/groups/" + group), this.admin, Map.of("name", group, "rights", List.of()));
		assertRefusedWithin(token, 403);
		assertThat(api("GET", "/api/whoami", token, null).status()).isEqualTo(200);
	}

	@Test
	void tokenTheUserGeneratedForThemselfBehavesTheSame() {
		String user = newUser(newGroup("projects.read"));
		Api.Response mine = send("POST", authUrl("/api/me/tokens"), basic(user, USER_PASSWORD),
				Map.of("description", "my own script"));
		assertThat(mine.status()).isEqualTo(201);
		String token = mine.json().get("token").asString();

		assertThat(client(env(token), "projects", "list").exitCode()).isEqualTo(SampleClient.OK);
		assertThat(client(env(token), "projects", "create", "Mine").exitCode()).isEqualTo(SampleClient.FORBIDDEN);
		assertCachedAnswerServes(token);
		send("DELETE", authUrl("/api/me/tokens/" + mine.json().get("id").asString()), basic(user, USER_PASSWORD), null);
		assertRefusedWithin(token, 401);
	}

	@Test
	void tokenIsReadFromAFileButNeverFromTheCommandLine(@TempDir Path dir) throws Exception {
		String token = tokenFor(newUser(newGroup("projects.read")));
		Path file = dir.resolve("token");
		Files.writeString(file, token + "\n");
		Map<String, String> noToken = Map.of("LATCHKEY_API_URL", this.stack.resourceApi.url(""));
		assertThat(client(noToken, "--token-file", file.toString(), "whoami").exitCode()).isEqualTo(SampleClient.OK);

		Api.ClientRun refused = client(noToken, "--token", token, "whoami");
		assertThat(refused.exitCode()).isEqualTo(SampleClient.USAGE);
		assertThat(refused.err()).contains("never taken from the command line").doesNotContain(token);
		assertThat(client(noToken, "whoami").exitCode()).isEqualTo(SampleClient.USAGE);
	}

	@Test
	void rfc6750WhenNoTokenOrTokenOutsideTheHeader() {
		String token = tokenFor(newUser(newGroup("projects.read")));
		Api.Response none = api("GET", "/api/projects", null, null);
		assertThat(none.status()).isEqualTo(401);
		assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer resource_metadata=\""
				+ this.stack.resourceApi.url("/.well-known/oauth-protected-resource") + "\"");

		assertThat(send("GET", this.stack.resourceApi.url("/api/projects?access_token=" + token), null, null).status())
			.isEqualTo(401);
		Api.Response form = send("POST", this.stack.resourceApi.url("/api/projects"), null, null);
		assertThat(form.status()).isEqualTo(401);

		String altered = token.substring(0, token.length() - 1) + (token.endsWith("x") ? "y" : "x");
		Api.Response bogus = api("GET", "/api/projects", altered, null);
		assertThat(bogus.status()).isEqualTo(401);
		assertThat(bogus.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
	}

	@Test
	void projectsCanBeReadOneByOneCreatedAndDeletedWithTheRights() {
		String writer = tokenFor(newUser(newGroup("projects.read", "projects.write")));
		Api.Response created = api("POST", "/api/projects", writer, Map.of("name", "Temporary"));
		assertThat(created.status()).isEqualTo(201);
		long id = created.json().get("id").asLong();
		assertThat(api("GET", "/api/projects/" + id, writer, null).json().get("name").asString())
			.isEqualTo("Temporary");
		Api.Response invalid = api("POST", "/api/projects", writer, Map.of("name", ""));
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
		assertThat(api("DELETE", "/api/projects/" + id, writer, null).status()).isEqualTo(204);
		assertThat(api("GET", "/api/projects/" + id, writer, null).status()).isEqualTo(404);
	}

	@Test
	void allowlistedTokenIsRefusedFromOutsideItsRangesAlsoWhenTheAnswerIsCached() throws Exception {
		String user = newUser(newGroup("projects.read"));
		String elsewhere = (String) generate(user, Map.of("allowedIps", List.of("10.0.0.0/8"))).get("token");
		String loopback = (String) generate(user, Map.of("allowedIps", List.of("127.0.0.0/8"))).get("token");
		String one = (String) generate(user, Map.of("allowedIps", List.of("127.0.0.1"))).get("token");
		String whoami = this.stack.resourceApi.url("/api/whoami").replace("localhost", "127.0.0.1");
		InetAddress here = InetAddress.getByName("127.0.0.1");
		InetAddress other = InetAddress.getByName("127.0.0.9");
		assertThat(sendFrom(here, "GET", whoami, bearer(elsewhere)).status()).isEqualTo(401);
		assertThat(sendFrom(here, "GET", whoami, bearer(loopback)).status()).isEqualTo(200);
		assertThat(sendFrom(here, "GET", whoami, bearer(one)).status()).isEqualTo(200);
		assertThat(sendFrom(other, "GET", whoami, bearer(one)).status())
			.as("the cached answer is checked against this request's address")
			.isEqualTo(401);
		assertThat(sendFrom(other, "GET", whoami, bearer(loopback)).status()).isEqualTo(200);
		Map<String, Object> listed = listedToken(user, one);
		assertThat(String.valueOf(listed.get("recentUses"))).contains("127.0.0.1");
	}

	/** Two calls succeed, and the second is served from the cache. */
	private void assertCachedAnswerServes(String token) {
		double hitsBefore = cacheHits();
		assertThat(api("GET", "/api/projects", token, null).status()).isEqualTo(200);
		assertThat(api("GET", "/api/projects", token, null).status()).isEqualTo(200);
		assertThat(cacheHits()).as("the second call was answered from the cache").isGreaterThan(hitsBefore);
	}

	@Test
	void resourceApiMetricsAreNotPublicOnlyOnTheInternalManagementPort() {
		assertThat(send("GET", this.stack.resourceApi.url("/actuator/metrics"), null, null).status()).isIn(401, 404);
		assertThat(send("GET", this.stack.resourceApi.url("/actuator/metrics/cache.gets"), null, null).status())
			.isIn(401, 404);
		assertThat(send("GET", this.stack.resourceApi.managementUrl("/actuator/metrics"), null, null).status())
			.isEqualTo(200);
	}

	private void assertRefusedWithin(String token, int status) {
		Api.Response last = until(PUSH_DEADLINE, () -> api("GET", "/api/projects", token, null),
				(response) -> response.status() == status);
		assertThat(last.status()).as("refused within " + PUSH_DEADLINE).isEqualTo(status);
	}

	private double cacheHits() {
		Api.Response metric = send("GET", this.stack.resourceApi
			.managementUrl("/actuator/metrics/cache.gets?tag=cache:introspection&tag=result:hit"), null, null);
		return metric.json().get("measurements").get(0).get("value").asDouble();
	}

	private Api.Response api(String method, String path, String token, Object body) {
		return send(method, this.stack.resourceApi.url(path), (token != null) ? bearer(token) : null, body);
	}

	private String authUrl(String path) {
		return this.stack.authServer.url(path);
	}

	private Map<String, String> env(String token) {
		return Map.of("LATCHKEY_TOKEN", token, "LATCHKEY_API_URL", this.stack.resourceApi.url(""));
	}

	private String newGroup(String... rights) {
		String name = "integrations-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(send("POST", authUrl("/api/groups"), this.admin, Map.of("name", name, "rights", List.of(rights)))
			.status()).isEqualTo(201);
		return name;
	}

	private String newUser(String group) {
		String name = "integration-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(send("POST", authUrl("/api/users"), this.admin,
				Map.of("username", name, "password", USER_PASSWORD, "groups", List.of(group)))
			.status()).isEqualTo(201);
		return name;
	}

	private Map<String, Object> generate(String user) {
		return generate(user, Map.of("description", "e2e"));
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> generate(String user, Map<String, Object> body) {
		Api.Response response = send("POST", authUrl("/api/users/" + user + "/tokens"), this.admin, body);
		assertThat(response.status()).isEqualTo(201);
		return Api.json.convertValue(response.json(), Map.class);
	}

	/**
	 * The user's token as the auth server lists it, found by its hint, once its uses were
	 * written.
	 */
	private Map<String, Object> listedToken(String user, String token) {
		String hint = "lkp_…" + token.substring(token.length() - 4);
		return until(Duration.ofSeconds(10), () -> findListed(user, hint),
				(entry) -> !String.valueOf(entry.get("recentUses")).equals("[]"));
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> findListed(String user, String hint) {
		Api.Response listed = send("GET", authUrl("/api/users/" + user + "/tokens"), this.admin, null);
		for (Object item : Api.json.convertValue(listed.json(), List.class)) {
			Map<String, Object> entry = (Map<String, Object>) item;
			if (hint.equals(entry.get("hint"))) {
				return entry;
			}
		}
		throw new AssertionError("no token " + hint + " for " + user);
	}

	private String tokenFor(String user) {
		return (String) generate(user).get("token");
	}

}
