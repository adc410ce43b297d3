package com.example.authserver;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library's stock chains follow the directory live: a user signed in through the
 * default form, once disabled, no longer gets an authorization code with that session
 * from Spring Authorization Server's own authorization endpoint.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"spring.security.oauth2.authorizationserver.client.web.registration.client-id=web",
		"spring.security.oauth2.authorizationserver.client.web.registration.client-secret={noop}web-secret",
		"spring.security.oauth2.authorizationserver.client.web.registration.client-authentication-methods=client_secret_basic",
		"spring.security.oauth2.authorizationserver.client.web.registration.authorization-grant-types=authorization_code",
		"spring.security.oauth2.authorizationserver.client.web.registration.redirect-uris=http://127.0.0.1:9/callback",
		"spring.security.oauth2.authorizationserver.client.web.registration.scopes=orders.read" })
class StockChainLiveSessionTests {

	private static final String PREFIX = "example-live-" + UUID.randomUUID().toString().substring(0, 8);

	// RFC 7636 appendix B: Spring Authorization Server requires PKCE for every
	// authorization code
	private static final String CODE_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> RealRedis.uri().toString());
		registry.add("latchkey.redis.key-prefix", () -> PREFIX);
		registry.add("latchkey.redis.events-channel", () -> PREFIX + ":events");
	}

	@Test
	void authorizeWhenTheSignedInUserWasDisabledThenTheSessionNoLongerCounts() throws Exception {
		String user = "alice-" + UUID.randomUUID().toString().substring(0, 8);
		HttpResponse<String> created = ExampleHttp.send(HttpRequest.newBuilder(URI.create(url("/api/users")))
			.header("Authorization", ExampleHttp.basic("admin", "example-admin-password"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"username\":\"" + user + "\",\"password\":\"alice-password\",\"groups\":[]}")));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		HttpClient browser = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		String loginPage = browser
			.send(HttpRequest.newBuilder(URI.create(url("/login"))).GET().build(), HttpResponse.BodyHandlers.ofString())
			.body();
		Matcher csrf = CSRF.matcher(loginPage);
		assertThat(csrf.find()).isTrue();
		HttpResponse<String> signIn = browser.send(HttpRequest.newBuilder(URI.create(url("/login")))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=alice-password&_csrf="
					+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(signIn.statusCode()).isEqualTo(302);
		assertThat(signIn.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
		assertThat(authorize(browser)).startsWith("http://127.0.0.1:9/callback?code=");

		HttpResponse<String> disabled = ExampleHttp.send(HttpRequest.newBuilder(URI.create(url("/api/users/" + user)))
			.header("Authorization", ExampleHttp.basic("admin", "example-admin-password"))
			.header("Content-Type", "application/json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"enabled\":false}")));
		assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
		assertThat(authorize(browser)).doesNotContain("code=").endsWith("/login");
	}

	private String authorize(HttpClient browser) throws Exception {
		HttpResponse<String> response = browser.send(HttpRequest.newBuilder(URI.create(url(
				"/oauth2/authorize?response_type=code&client_id=web&scope=orders.read&redirect_uri=http://127.0.0.1:9/callback"
						+ "&code_challenge_method=S256&code_challenge=" + CODE_CHALLENGE)))
			.header("Accept", "text/html")
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
		return response.headers().firstValue("Location").orElseThrow();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}
