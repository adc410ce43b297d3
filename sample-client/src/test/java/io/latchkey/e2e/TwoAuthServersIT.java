package io.latchkey.e2e;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.latchkey.testsupport.AppProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.latchkey.e2e.Api.basic;
import static io.latchkey.e2e.Api.bearer;
import static io.latchkey.e2e.Api.send;
import static io.latchkey.e2e.Api.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two auth-server processes on one Redis, as operators run N instances behind a load
 * balancer without sticky sessions: a portal session signed in on one works on the other,
 * a revocation through one reaches the other's verification cache and the resource API at
 * once, and throttling counts are shared.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoAuthServersIT {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private Stack stack;

	private AppProcess one;

	private AppProcess two;

	private String admin;

	@BeforeAll
	void start() {
		this.stack = Stack.start("two-auth-servers", 2);
		this.one = this.stack.authServer;
		this.two = this.stack.moreAuthServers.get(0);
		this.admin = basic("admin", Stack.ADMIN_PASSWORD);
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
	void sessionSignedInOnOneServerWorksOnTheOther() throws Exception {
		HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		String csrf = csrf(get(browser, this.one.url("/login")).body());
		HttpResponse<String> signIn = browser.send(HttpRequest.newBuilder(URI.create(this.one.url("/login")))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString(form(Map.of("username", "admin", "password", Stack.ADMIN_PASSWORD, "_csrf", csrf))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(signIn.statusCode()).isEqualTo(302);
		assertThat(signIn.headers().firstValue("Location").orElse("")).endsWith("/account/tokens");

		HttpResponse<String> me = get(browser, this.two.url("/api/me"));
		assertThat(me.statusCode()).as("the session signed in on one instance, used on the other").isEqualTo(200);
		assertThat(me.body()).contains("\"username\":\"admin\"", "\"authenticatedBy\":\"password\"");
		HttpResponse<String> page = get(browser, this.two.url("/account/tokens"));
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("Generate Access Token");

		String tokenOnTwo = csrf(page.body());
		HttpResponse<String> generated = browser.send(HttpRequest.newBuilder(URI.create(this.two.url("/api/me/tokens")))
			.header("Content-Type", "application/json")
			.header("X-CSRF-TOKEN", tokenOnTwo)
			.POST(HttpRequest.BodyPublishers.ofString("{\"description\":\"made on two\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(generated.statusCode()).as(generated.body()).isEqualTo(201);
	}

	@Test
	void revocationThroughOneReachesTheOthersCacheAndTheResourceApi() {
		String token = generate(this.one);
		assertThat(introspect(this.one, token)).contains("\"active\":true");
		assertThat(introspect(this.two, token)).as("now cached on two as well").contains("\"active\":true");
		assertThat(send("GET", this.stack.resourceApi.url("/api/whoami"), bearer(token), null).status()).isEqualTo(200);

		assertThat(send("POST", this.one.url("/api/tokens/revoke"), this.admin, Map.of("token", token)).status())
			.isEqualTo(204);
		String onTwo = until(Duration.ofSeconds(1), () -> introspect(this.two, token),
				(answer) -> answer.equals("{\"active\":false}"));
		assertThat(onTwo).as("the other instance's cache dropped it within a second").isEqualTo("{\"active\":false}");
		Api.Response resource = until(Duration.ofSeconds(1),
				() -> send("GET", this.stack.resourceApi.url("/api/whoami"), bearer(token), null),
				(response) -> response.status() == 401);
		assertThat(resource.status()).isEqualTo(401);
	}

	@Test
	void throttlingCountsAreSharedByTheInstances() {
		String user = "throttled-" + java.util.UUID.randomUUID().toString().substring(0, 8);
		assertThat(send("POST", this.one.url("/api/users"), this.admin,
				Map.of("username", user, "password", "the-right-password"))
			.status()).isEqualTo(201);
		for (int i = 0; i < 10; i++) {
			AppProcess server = (i % 2 == 0) ? this.one : this.two;
			assertThat(send("GET", server.url("/api/me"), basic(user, "wrong-" + i), null).status()).isEqualTo(401);
		}
		Api.Response throttled = send("GET", this.two.url("/api/me"), basic(user, "the-right-password"), null);
		assertThat(throttled.status()).as("ten failures spread over both instances count as ten").isEqualTo(429);
		assertThat(throttled.header("Retry-After")).isNotBlank();
		assertThat(send("GET", this.one.url("/api/me"), basic(user, "the-right-password"), null).status())
			.isEqualTo(429);
	}

	private String generate(AppProcess server) {
		Api.Response response = send("POST", server.url("/api/me/tokens"), this.admin, Map.of());
		assertThat(response.status()).isEqualTo(201);
		return response.json().get("token").asString();
	}

	private static String introspect(AppProcess server, String token) {
		return send("POST", server.url("/oauth2/introspect"), basic("resource-api", Stack.CLIENT_SECRET),
				Map.of("token", token))
			.raw()
			.body();
	}

	private static HttpResponse<String> get(HttpClient browser, String url) throws IOException, InterruptedException {
		return browser.send(
				HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html,application/json").build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static String csrf(String page) {
		Matcher matcher = CSRF.matcher(page);
		assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
		return matcher.group(1);
	}

	private static String form(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map((field) -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

}
