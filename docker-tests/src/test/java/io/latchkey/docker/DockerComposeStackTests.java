package io.latchkey.docker;

import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Docker deployment as a team runs it: both images built from
 * {@code docker/Dockerfile} on local base images ({@code bin/docker-base.sh}, from
 * Debian's packages: no registry is reachable here), {@code docker/compose.yaml} started
 * with generated secrets on an engine of the test's own ({@link DockerEngine}), then the
 * README's walk-through, restarts, and the hardening the compose file promises. The
 * methods run in order on one stack; {@code docker-compose down} comes last. Build and
 * command output goes to {@code target/docker/commands.log}, and into a failure's
 * message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerComposeStackTests {

	private static final Path REPOSITORY = Path.of(System.getProperty("latchkey.repository", ".."))
		.toAbsolutePath()
		.normalize();

	private static final Path TARGET = REPOSITORY.resolve("docker-tests/target/docker");

	private static final String JDK_IMAGE = "latchkey-base/jdk:local";

	private static final String JRE_IMAGE = "latchkey-base/jre:local";

	private static final String REDIS_IMAGE = "latchkey-base/redis:local";

	private static final String PROMETHEUS_IMAGE = "latchkey-base/prometheus:local";

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Map<String, String> secrets = new LinkedHashMap<>();

	private DockerEngine engine;

	private ComposeStack stack;

	private String authServer;

	private String resourceApi;

	private String prometheus;

	/** A token of the walk-through's service account that stays valid to the end. */
	private String token;

	/** The administrator's portal session cookie. */
	private CookieManager portal;

	@BeforeAll
	void startTheStack() throws Exception {
		DockerEngine.Start start = DockerEngine.start(TARGET.resolve("data-root"), TARGET);
		if (start.engine() == null) {
			// Surefire shows no assumption's message: this line is the one that says why.
			System.err.println("DockerComposeStackTests skipped: no Docker engine can start here: " + start.whyNot());
		}
		assumeTrue(start.engine() != null, () -> "No Docker engine can start here: " + start.whyNot());
		this.engine = start.engine();
		this.engine.run(List.of("bash", "bin/docker-base.sh"), Map.of(), REPOSITORY);
		for (String module : List.of("auth-server", "resource-api")) {
			this.engine.docker("build", "--network", "host", "-f", REPOSITORY.resolve("docker/Dockerfile").toString(),
					"--build-arg", "MODULE=" + module, "--build-arg", "JDK_IMAGE=" + JDK_IMAGE, "--build-arg",
					"JRE_IMAGE=" + JRE_IMAGE, "-t", "latchkey/" + module, REPOSITORY.toString());
		}
		for (String name : List.of("LATCHKEY_ADMIN_PASSWORD", "RESOURCE_API_SECRET", "REDIS_PASSWORD",
				"REDIS_RESOURCE_PASSWORD", "METRICS_PASSWORD")) {
			this.secrets.put(name, randomSecret());
		}
		Map<String, String> ports = Map.of("AUTH_SERVER_PORT", freePort(), "RESOURCE_API_PORT", freePort(),
				"PROMETHEUS_PORT", freePort());
		Map<String, String> variables = new LinkedHashMap<>(this.secrets);
		variables.putAll(ports);
		variables.putAll(Map.of("JDK_IMAGE", JDK_IMAGE, "JRE_IMAGE", JRE_IMAGE, "REDIS_IMAGE", REDIS_IMAGE,
				"PROMETHEUS_IMAGE", PROMETHEUS_IMAGE));
		this.authServer = "http://127.0.0.1:" + ports.get("AUTH_SERVER_PORT");
		this.resourceApi = "http://127.0.0.1:" + ports.get("RESOURCE_API_PORT");
		this.prometheus = "http://127.0.0.1:" + ports.get("PROMETHEUS_PORT");
		this.stack = new ComposeStack(this.engine, REPOSITORY,
				"lkdt" + HexFormat.of().toHexDigits(new SecureRandom().nextInt()), variables);
		// Images are built already: up must use them, not build.
		this.stack.compose("up", "-d", "--no-build");
		this.stack.awaitHealthy(Duration.ofMinutes(4));
	}

	@AfterAll
	void removeTheStack() throws Exception {
		try {
			if (this.stack != null) {
				this.engine.execute(List.of("docker-compose", "--no-ansi", "-p", this.stack.project(), "-f",
						"docker/compose.yaml", "down", "-v", "--remove-orphans"), this.stack.variables(), REPOSITORY);
			}
		}
		finally {
			if (this.engine != null) {
				this.engine.close();
			}
		}
	}

	@Test
	@Order(1)
	void walkThroughGivesAServiceAccountATokenThatWorksWithinItsScopeUntilRevoked() throws Exception {
		assertThat(
				admin("POST", "/api/groups", "{\"name\":\"integrations\",\"rights\":[\"projects.read\"]}").statusCode())
			.isEqualTo(201);
		assertThat(admin("POST", "/api/users",
				"{\"username\":\"ci-bot\",\"displayName\":\"CI bot\",\"groups\":[\"integrations\"]}")
			.statusCode()).isEqualTo(201);
		String revoked = newToken("CI pipeline");
		this.token = newToken("kept to the end");

		HttpResponse<String> whoami = bearer(revoked, "GET", "/api/whoami", null);
		assertThat(whoami.statusCode()).isEqualTo(200);
		assertThat(whoami.body()).contains("ci-bot").contains("projects.read");
		assertThat(bearer(revoked, "GET", "/api/projects", null).statusCode()).isEqualTo(200);
		HttpResponse<String> create = bearer(revoked, "POST", "/api/projects", "{\"name\":\"Website\"}");
		assertThat(create.statusCode()).isEqualTo(403);
		assertThat(create.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).contains("insufficient_scope"));

		assertThat(admin("POST", "/api/tokens/revoke", "{\"token\":\"" + revoked + "\"}").statusCode()).isBetween(200,
				204);
		Instant revokedAt = Instant.now();
		HttpResponse<String> after = poll(Duration.ofSeconds(1), () -> bearer(revoked, "GET", "/api/projects", null),
				(r) -> r.statusCode() == 401);
		assertThat(after.statusCode())
			.as("refused within 1 s of the revocation (%s)", Duration.between(revokedAt, Instant.now()))
			.isEqualTo(401);
		assertThat(bearer(this.token, "GET", "/api/whoami", null).statusCode()).isEqualTo(200);
	}

	@Test
	@Order(2)
	void tokensAndThePortalSessionSurviveARedisRestart() throws Exception {
		this.portal = signInToThePortal();
		this.stack.compose("restart", "redis");
		this.stack.awaitHealthy(Duration.ofMinutes(1));
		assertThat(poll(Duration.ofSeconds(30), () -> bearer(this.token, "GET", "/api/whoami", null),
				(r) -> r.statusCode() == 200)
			.statusCode()).isEqualTo(200);
		// Once a second: the administrator's password is checked on every call (and
		// throttled).
		HttpResponse<String> tokens = poll(Duration.ofSeconds(30), Duration.ofSeconds(1),
				() -> admin("GET", "/api/users/ci-bot/tokens", null), (r) -> r.statusCode() == 200);
		assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
		assertThat(tokens.body()).contains("kept to the end");
		// Spring Session writes in MULTI/EXEC: the AOF must replay transactions too.
		assertThat(portalGet(this.portal, "/account/tokens").statusCode()).as("the portal session, after the restart")
			.isEqualTo(200);
	}

	@Test
	@Order(3)
	void portalSessionAndTokensSurviveAnAuthServerRestart() throws Exception {
		assertThat(this.portal).as("signed in before the Redis restart").isNotNull();
		this.stack.compose("restart", "auth-server");
		this.stack.awaitHealthy(Duration.ofMinutes(3));
		HttpResponse<String> page = portalGet(this.portal, "/account/tokens");
		assertThat(page.statusCode()).as("the portal session, after the restart").isEqualTo(200);
		// The auth server's caches are gone: its introspection reads the token from
		// Redis.
		HttpResponse<String> introspection = this.http.send(HttpRequest
			.newBuilder(URI.create(this.authServer + "/oauth2/introspect"))
			.header("Authorization", basic("resource-api", this.secrets.get("RESOURCE_API_SECRET")))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(this.token, StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(json.readTree(introspection.body()).path("active").asBoolean()).as(introspection.body()).isTrue();
		assertThat(poll(Duration.ofSeconds(30), () -> bearer(this.token, "GET", "/api/whoami", null),
				(r) -> r.statusCode() == 200)
			.statusCode()).isEqualTo(200);
	}

	@Test
	@Order(4)
	void resourceApiRedisUserIsRefusedTheAuthServerKeys() {
		String redis = this.stack.container("redis");
		String key = this.engine
			.docker("exec", redis, "redis-cli", "--user", "latchkey", "--pass", this.secrets.get("REDIS_PASSWORD"),
					"--no-auth-warning", "--scan", "--pattern", "lk:*")
			.lines()
			.findFirst()
			.orElseThrow();
		DockerEngine.Result get = this.engine
			.execute(
					List.of(DockerEngine.DOCKER.toString(), "exec", redis, "redis-cli", "--user", "resource-api",
							"--pass", this.secrets.get("REDIS_RESOURCE_PASSWORD"), "--no-auth-warning", "GET", key),
					Map.of(), null);
		assertThat(get.stdout() + get.stderr()).as("GET " + key + " as resource-api").contains("NOPERM");
		DockerEngine.Result keys = this.engine.execute(
				List.of(DockerEngine.DOCKER.toString(), "exec", redis, "redis-cli", "--user", "resource-api", "--pass",
						this.secrets.get("REDIS_RESOURCE_PASSWORD"), "--no-auth-warning", "KEYS", "lk:*"),
				Map.of(), null);
		assertThat(keys.stdout() + keys.stderr()).contains("NOPERM");
	}

	@Test
	@Order(5)
	void everyServiceRunsAsANonRootUserOnAReadOnlyRootWithAHealthCheck() {
		for (String service : ComposeStack.SERVICES) {
			String container = this.stack.container(service);
			String inspected = this.engine.docker("inspect", "--format",
					"{{.Config.User}}|{{.HostConfig.ReadonlyRootfs}}|{{if .Config.Healthcheck}}{{len .Config.Healthcheck.Test}}{{end}}",
					container)
				.strip();
			String[] fields = inspected.split("\\|", -1);
			assertThat(fields[0]).as(service + "'s user").isNotEmpty().isNotIn("root", "0", "0:0");
			assertThat(fields[1]).as(service + "'s root file system read-only").isEqualTo("true");
			assertThat(fields[2]).as(service + "'s health check").isNotEmpty().isNotEqualTo("0");
			assertThat(this.engine.docker("exec", container, "id", "-u").strip()).as(service + "'s uid")
				.isNotEqualTo("0");
		}
	}

	@Test
	@Order(6)
	void portsArePublishedOnTheLoopbackOnly() {
		int published = 0;
		for (String service : ComposeStack.SERVICES) {
			for (String line : this.engine.docker("port", this.stack.container(service)).strip().lines().toList()) {
				assertThat(line).as(service).matches("\\d+/tcp -> 127\\.0\\.0\\.1:\\d+");
				published++;
			}
		}
		assertThat(published).as("auth server, resource API, Prometheus").isEqualTo(3);
		assertThat(this.stack.compose("config")).doesNotContainPattern("- \"?\\d+:\\d+");
	}

	@Test
	@Order(7)
	void prometheusIsReady() throws Exception {
		assertThat(get(this.prometheus + "/-/ready", null).statusCode()).isEqualTo(200);
	}

	@Test
	@Order(8)
	void prometheusScrapesBothAppsAsTheScrapeUser() throws Exception {
		String scrape = basic("prometheus", this.secrets.get("METRICS_PASSWORD"));
		assertThat(get(this.authServer + "/actuator/prometheus", null).statusCode()).as("anonymous scrape")
			.isNotEqualTo(200);
		assertThat(get(this.resourceApi + "/actuator/prometheus", null).statusCode()).as("anonymous scrape")
			.isNotEqualTo(200);
		boolean endpoint = get(this.authServer + "/actuator/prometheus", scrape).statusCode() == 200;
		if (!endpoint) {
			System.err.println("DockerComposeStackTests: the apps have no /actuator/prometheus for the scrape user;"
					+ " Prometheus's targets are not checked");
		}
		assumeTrue(endpoint, "The apps have no /actuator/prometheus for the scrape user");
		HttpResponse<String> targets = poll(Duration.ofSeconds(60),
				() -> get(this.prometheus + "/api/v1/targets?state=active", null),
				(r) -> r.statusCode() == 200 && health(r).equals(List.of("up", "up")));
		assertThat(health(targets)).as(targets.body()).containsExactly("up", "up");
	}

	@Test
	@Order(9)
	void downKeepsTheDataVolume() {
		this.stack.compose("down");
		assertThat(
				this.engine.docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + this.stack.project())
					.strip())
			.as("containers after down")
			.isEmpty();
		assertThat(this.engine.docker("volume", "ls", "-q").lines()).contains(this.stack.project() + "_redis-data");
	}

	private static List<String> health(HttpResponse<String> targets) {
		JsonNode active = json.readTree(targets.body()).path("data").path("activeTargets");
		return active.valueStream().map((target) -> target.path("health").asString()).toList();
	}

	private String newToken(String description) throws Exception {
		HttpResponse<String> response = admin("POST", "/api/users/ci-bot/tokens",
				"{\"description\":\"" + description + "\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return json.readTree(response.body()).path("token").asString();
	}

	private HttpResponse<String> admin(String method, String path, String body) throws Exception {
		return this.http.send(request(this.authServer + path, method, body)
			.header("Authorization", basic("admin", this.secrets.get("LATCHKEY_ADMIN_PASSWORD")))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> bearer(String token, String method, String path, String body) throws Exception {
		return this.http.send(
				request(this.resourceApi + path, method, body).header("Authorization", "Bearer " + token).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String url, String authorization) throws Exception {
		HttpRequest.Builder request = request(url, "GET", null);
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest.Builder request(String url, String method, String body) {
		return HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
	}

	/** Signs in to the portal's form as the administrator; answers the cookie jar. */
	private CookieManager signInToThePortal() throws Exception {
		CookieManager cookies = new CookieManager();
		HttpResponse<String> login = portalGet(cookies, "/login");
		Matcher csrf = CSRF.matcher(login.body());
		assertThat(csrf.find()).as("the login form's CSRF token").isTrue();
		String form = "username=admin&password="
				+ URLEncoder.encode(this.secrets.get("LATCHKEY_ADMIN_PASSWORD"), StandardCharsets.UTF_8) + "&_csrf="
				+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
		HttpResponse<String> signedIn = portalClient(cookies)
			.send(HttpRequest.newBuilder(URI.create(this.authServer + "/login"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(signedIn.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/account/tokens"));
		assertThat(portalGet(cookies, "/account/tokens").statusCode()).isEqualTo(200);
		return cookies;
	}

	private HttpResponse<String> portalGet(CookieManager cookies, String path) throws Exception {
		return portalClient(cookies).send(HttpRequest.newBuilder(URI.create(this.authServer + path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static HttpClient portalClient(CookieManager cookies) {
		return HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
	}

	/**
	 * Calls until the answer satisfies {@code done} or the deadline passes; answers the
	 * last one.
	 */
	private static HttpResponse<String> poll(Duration timeout, Call call, Predicate<HttpResponse<String>> done)
			throws Exception {
		return poll(timeout, Duration.ofMillis(50), call, done);
	}

	private static HttpResponse<String> poll(Duration timeout, Duration between, Call call,
			Predicate<HttpResponse<String>> done) throws Exception {
		Instant deadline = Instant.now().plus(timeout);
		HttpResponse<String> last = null;
		while (true) {
			try {
				last = call.send();
				if (done.test(last)) {
					return last;
				}
			}
			catch (IOException ex) {
				if (Instant.now().isAfter(deadline)) {
					throw ex;
				}
			}
			if (Instant.now().isAfter(deadline) && last != null) {
				return last;
			}
			ComposeStack.pause(between);
		}
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private static String randomSecret() {
		byte[] bytes = new byte[24];
		new SecureRandom().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	private static String freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return Integer.toString(socket.getLocalPort());
		}
	}

	@FunctionalInterface
	private interface Call {

		HttpResponse<String> send() throws Exception;

	}

}
