package io.latchkey.auth;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.latchkey.testsupport.MutableClock;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auth server on a random port over real HTTP, on a real Redis (see
 * {@link RealRedis}), with a {@link MutableClock}. Each JVM uses its own key prefix and
 * events channel, so a shared {@code REDIS_URL} never mixes runs. Fixtures create
 * uniquely named users and groups.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"latchkey.admin.password=" + AuthServerTestBase.ADMIN_PASSWORD,
		"spring.security.oauth2.authorizationserver.client.stranger.registration.client-id=stranger",
		"spring.security.oauth2.authorizationserver.client.stranger.registration.client-secret={noop}stranger-secret",
		"spring.security.oauth2.authorizationserver.client.stranger.registration.client-authentication-methods=client_secret_basic",
		"spring.security.oauth2.authorizationserver.client.stranger.registration.authorization-grant-types=client_credentials",
		"spring.security.oauth2.authorizationserver.client.machine.registration.client-id=machine",
		"spring.security.oauth2.authorizationserver.client.machine.registration.client-secret={noop}machine-secret",
		"spring.security.oauth2.authorizationserver.client.machine.registration.client-authentication-methods=client_secret_basic",
		"spring.security.oauth2.authorizationserver.client.machine.registration.authorization-grant-types=client_credentials",
		"spring.security.oauth2.authorizationserver.client.guessed.registration.client-id=guessed",
		"spring.security.oauth2.authorizationserver.client.guessed.registration.client-secret={noop}guessed-secret",
		"spring.security.oauth2.authorizationserver.client.guessed.registration.client-authentication-methods=client_secret_basic",
		"spring.security.oauth2.authorizationserver.client.guessed.registration.authorization-grant-types=client_credentials",
		"spring.security.oauth2.authorizationserver.client.innocent.registration.client-id=innocent",
		"spring.security.oauth2.authorizationserver.client.innocent.registration.client-secret={noop}innocent-secret",
		"spring.security.oauth2.authorizationserver.client.innocent.registration.client-authentication-methods=client_secret_basic",
		"spring.security.oauth2.authorizationserver.client.innocent.registration.authorization-grant-types=client_credentials",
		"spring.security.oauth2.authorizationserver.client.narrow.registration.client-id=narrow",
		"spring.security.oauth2.authorizationserver.client.narrow.registration.client-secret={noop}narrow-secret",
		"spring.security.oauth2.authorizationserver.client.narrow.registration.client-authentication-methods=client_secret_basic",
		"spring.security.oauth2.authorizationserver.client.narrow.registration.authorization-grant-types=urn:ietf:params:oauth:grant-type:token-exchange",
		"spring.security.oauth2.authorizationserver.client.narrow.registration.scopes=projects.read",
		"latchkey.exchange.allowed-clients=resource-api,narrow",
		// here a token made without an audience works everywhere (the reference
		// deployment's default, the resource API alone, is tested end to end)
		"latchkey.tokens.default-audience=", "LATCHKEY_RESOURCE_API_SECRET={noop}" + AuthServerTestBase.CLIENT_SECRET,
		"latchkey.metrics.scrape-password=" + AuthServerTestBase.SCRAPE_PASSWORD })
@Import(AuthServerTestBase.TestClock.class)
public abstract class AuthServerTestBase {

	public static final String ADMIN = "admin";

	public static final String ADMIN_PASSWORD = "admin-test-password";

	public static final String USER_PASSWORD = "user-test-password";

	public static final String CLIENT_ID = "resource-api";

	public static final String CLIENT_SECRET = "resource-api-test-secret";

	public static final String SCRAPE_PASSWORD = "scrape-test-password";

	protected static final String KEY_PREFIX = "lktest-" + UUID.randomUUID().toString().substring(0, 8);

	@LocalServerPort
	protected int port;

	@Autowired
	protected MutableClock clock;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RealRedis.register(registry);
		registry.add("latchkey.redis.key-prefix", () -> KEY_PREFIX);
		registry.add("latchkey.redis.events-channel", () -> KEY_PREFIX + ":events");
	}

	@BeforeEach
	void resetClock() {
		this.clock.set(Instant.now());
	}

	protected String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	protected Http.Response asAdmin(Http request) {
		return request.basic(ADMIN, ADMIN_PASSWORD).send();
	}

	/**
	 * The request with HTTP Basic as {@code username}, password {@link #USER_PASSWORD}.
	 */
	protected Http.Response as(String username, Http request) {
		return request.basic(username, USER_PASSWORD).send();
	}

	/**
	 * A cookie-keeping client for the portal and the API through a session, not signed in
	 * yet.
	 */
	protected PortalSession session() {
		return new PortalSession(url(""));
	}

	/** A new group with the given rights; answers its name. */
	protected String newGroup(String... rights) {
		String name = "group-" + shortId();
		Http.Response response = asAdmin(
				Http.post(url("/api/groups")).json(Map.of("name", name, "rights", List.of(rights))));
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return name;
	}

	/**
	 * A new enabled user, password {@link #USER_PASSWORD}, in the given groups; answers
	 * its name.
	 */
	protected String newUser(String... groups) {
		String username = "user-" + shortId();
		Http.Response response = asAdmin(Http.post(url("/api/users"))
			.json(Map.of("username", username, "displayName", "Test User", "password", USER_PASSWORD, "groups",
					List.of(groups))));
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return username;
	}

	/** A new user as {@link #newUser(String...)}, with an e-mail address for notices. */
	protected String newUserWithEmail(String email, String... groups) {
		String username = newUser(groups);
		setEmail(username, email);
		return username;
	}

	/** An administrator sets the user's e-mail address. */
	protected void setEmail(String username, String email) {
		Http.Response response = asAdmin(Http.patch(url("/api/users/" + username)).json(Map.of("email", email)));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
	}

	/** Eight random characters, to tell apart what one test creates from another's. */
	protected static String shortId() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	/** An administrator generates a token for {@code username}; answers the 201 body. */
	protected JsonNode generateToken(String username, Map<String, Object> body) {
		Http.Response response = asAdmin(Http.post(url("/api/users/" + username + "/tokens")).json(body));
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json();
	}

	protected String tokenFor(String username) {
		return generateToken(username, Map.of()).get("token").asString();
	}

	protected Http.Response introspect(String token) {
		return Http.post(url("/oauth2/introspect")).basic(CLIENT_ID, CLIENT_SECRET).form(Map.of("token", token)).send();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class TestClock {

		@Bean
		@Primary
		MutableClock testClock() {
			return MutableClock.startingNow();
		}

	}

}
