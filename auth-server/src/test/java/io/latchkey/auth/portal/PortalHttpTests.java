package io.latchkey.auth.portal;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.auth.PortalSession;
import io.latchkey.testsupport.DPoPProofs;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The portal's headers and form protections, checked on the raw HTTP exchange. */
class PortalHttpTests extends AuthServerTestBase {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final Pattern NONCE = Pattern.compile("name=\"nonce\" value=\"([^\"]+)\"");

	private final CookieManager cookies = new CookieManager();

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(this.cookies)
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	@Test
	void generatedTokenPageIsNoStoreAndTheTokenNeverInAUrl() throws Exception {
		String user = newUser();
		signIn(user, USER_PASSWORD);
		String page = get("/account/tokens").body();
		HttpResponse<String> generated = post("/account/tokens", Map.of("_csrf", find(CSRF, page), "nonce",
				find(NONCE, page), "description", "ci", "lifetimeDays", "7"));
		assertThat(generated.statusCode()).isEqualTo(200);
		assertThat(generated.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
		assertThat(generated.headers().firstValue("Location")).isEmpty();
		Matcher token = Pattern.compile("value=\"(lkp_[0-9A-Za-z]{36})\"").matcher(generated.body());
		assertThat(token.find()).isTrue();
		assertThat(generated.uri().toString()).doesNotContain("lkp_");
		assertThat(introspect(token.group(1)).json().get("active").asBoolean()).isTrue();

		String list = get("/account/tokens").body();
		assertThat(list).doesNotContain(token.group(1)).contains("lkp_…" + token.group(1).substring(36));
	}

	@Test
	void generateWhenAServiceIsCheckedAndAPublicJwkPastedThenTheTokenWorksThereBoundToThatKey() throws Exception {
		String user = newUser();
		signIn(user, USER_PASSWORD);
		String page = get("/account/tokens").body();
		assertThat(page).contains("id=\"audience-resource-api\"").contains("id=\"audience-latchkey-api\"");
		DPoPProofs key = DPoPProofs.newKey();
		HttpResponse<String> generated = post("/account/tokens", Map.of("_csrf", find(CSRF, page), "nonce",
				find(NONCE, page), "lifetimeDays", "7", "audience", "latchkey-api", "key", key.publicJwk()));
		assertThat(generated.statusCode()).isEqualTo(200);
		assertThat(generated.body()).containsPattern("value=\"lkp_[0-9A-Za-z]{36}\"");
		JsonNode listed = asAdmin(Http.get(url("/api/users/" + user + "/tokens"))).json().get(0);
		assertThat(listed.get("audience").values()).extracting(JsonNode::asString).containsExactly("latchkey-api");
		assertThat(listed.get("jkt").asString()).isEqualTo(key.thumbprint());
		assertThat(get("/account/tokens").body()).contains("Works at: Management API")
			.contains("bound to key …" + key.thumbprint().substring(35));
	}

	@Test
	void generateWhenAPrivateJwkIsPastedThenRefusedNothingStoredAndTheKeyNeverSentBack() throws Exception {
		String user = newUser();
		signIn(user, USER_PASSWORD);
		String page = get("/account/tokens").body();
		String privateJwk = DPoPProofs.newKey().privateJwk();
		String secretPart = find(Pattern.compile("\"d\":\"([^\"]+)\""), privateJwk);
		HttpResponse<String> refused = post("/account/tokens",
				Map.of("_csrf", find(CSRF, page), "nonce", find(NONCE, page), "lifetimeDays", "7", "key", privateJwk));
		assertThat(refused.body()).contains("private key")
			.doesNotContain(secretPart)
			.doesNotContainPattern("lkp_[0-9A-Za-z]{36}");
		assertThat(asAdmin(Http.get(url("/api/users/" + user + "/tokens"))).json().values()).isEmpty();
	}

	@Test
	void formsWithoutTheCsrfTokenAreRefused() throws Exception {
		String user = newUser();
		signIn(user, USER_PASSWORD);
		String page = get("/account/tokens").body();
		HttpResponse<String> forged = post("/account/tokens", Map.of("nonce", find(NONCE, page)));
		assertThat(forged.statusCode()).isEqualTo(403);
		assertThat(get("/account/tokens").body()).contains("No access tokens yet");
	}

	@Test
	void signInIssuesANewSessionIdAndPagesCarrySecurityHeaders() throws Exception {
		HttpResponse<String> login = get("/login");
		assertThat(login.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'")
			.contains("frame-ancestors 'none'");
		assertThat(login.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
		String before = sessionId();
		signIn(ADMIN, ADMIN_PASSWORD);
		assertThat(sessionId()).isNotNull().isNotEqualTo(before);
		HttpCookie session = this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("LATCHKEY_SESSION"))
			.findFirst()
			.orElseThrow();
		assertThat(session.isHttpOnly()).isTrue();
	}

	@Test
	void adminPagesWhenSignedInWithoutTheRightThen403() throws Exception {
		signIn(newUser(newGroup("projects.read")), USER_PASSWORD);
		for (String page : new String[] { "/admin/users", "/admin/users/admin", "/admin/groups", "/admin/tokens/revoke",
				"/admin/users/admin/tokens" }) {
			HttpResponse<String> response = get(page);
			assertThat(response.statusCode()).as(page).isEqualTo(403);
			assertThat(response.body()).as(page).contains("Forbidden").doesNotContain("user-list");
		}
		assertThat(get("/account/tokens").statusCode()).isEqualTo(200);
	}

	@Test
	void signInPageWhenTheUrlCarriesTextThenOnlyFixedMessagesChosenByACode() throws Exception {
		Http.Response page = Http.get(url("/login?throttled=%3Cb%3EYour+account+is+compromised,+call+555%3C/b%3E"))
			.send();
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).doesNotContain("compromised").doesNotContain("555");
		assertThat(Http.get(url("/login?error=throttled")).send().body()).contains("Too many failed sign-ins");
	}

	@Test
	void pagesWithoutSignInRedirectToTheSignInPage() throws Exception {
		HttpResponse<String> response = get("/admin/users");
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElse("")).endsWith("/login");
	}

	@Test
	void inventoryWhenMoreThanAPageThenThePagerLinksToItsNeighboursKeepingTheFilter() {
		String owner = newUser();
		for (int i = 0; i < 26; i++) {
			generateToken(owner, Map.of());
		}
		assertTwoPagesLinked("/admin/tokens?owner=" + owner);
	}

	@Test
	void usersWhenMoreThanAPageMatchThenThePagerLinksToItsNeighboursKeepingTheSearch() {
		String q = "pager-" + shortId();
		for (int i = 0; i < 51; i++) {
			Http.Response created = asAdmin(Http.post(url("/api/users"))
				.json(Map.of("username", q + "-" + i, "displayName", "Pager", "password", USER_PASSWORD, "groups",
						List.of())));
			assertThat(created.status()).as(created.body()).isEqualTo(201);
		}
		assertTwoPagesLinked("/admin/users?q=" + q);
	}

	/**
	 * The list at {@code filtered} is two pages long: each page says which it is and
	 * links to the other with the same filter, and only to it.
	 */
	private void assertTwoPagesLinked(String filtered) {
		PortalSession admin = session().signedIn(ADMIN, ADMIN_PASSWORD);
		String link = filtered.replace("&", "&amp;") + "&amp;page=";
		assertThat(admin.get(filtered).body()).contains("Page 1 of 2")
			.contains("id=\"next-page\" href=\"" + link + "2\"")
			.doesNotContain("previous-page");
		assertThat(admin.get(filtered + "&page=2").body()).contains("Page 2 of 2")
			.contains("id=\"previous-page\" href=\"" + link + "1\"")
			.doesNotContain("next-page");
	}

	private void signIn(String username, String password) throws Exception {
		String page = get("/login").body();
		HttpResponse<String> response = post("/login",
				Map.of("username", username, "password", password, "_csrf", find(CSRF, page)));
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElse("")).endsWith("/account/tokens");
	}

	private String sessionId() {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("LATCHKEY_SESSION"))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElse(null);
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(url(path))).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
		String body = new LinkedHashMap<>(form).entrySet()
			.stream()
			.map((field) -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return this.http.send(HttpRequest.newBuilder(URI.create(url(path)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String find(Pattern pattern, String page) {
		Matcher matcher = pattern.matcher(page);
		assertThat(matcher.find()).as("pattern " + pattern + " in the page").isTrue();
		return matcher.group(1);
	}

}
