package io.latchkey.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.InetAddress;
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

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser's session without the browser: a cookie jar, no redirects followed, the CSRF
 * token of the last page read. Signs in through the portal's form and then calls pages or
 * the API with the session cookie, as the portal's own pages would.
 */
public final class PortalSession {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final Pattern NONCE = Pattern.compile("name=\"nonce\" value=\"([^\"]+)\"");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final String baseUrl;

	private final CookieManager cookies = new CookieManager();

	private final HttpClient http;

	private String csrf;

	public PortalSession(String baseUrl) {
		this(baseUrl, null);
	}

	/**
	 * A session whose requests leave from {@code localAddress} (e.g. 127.0.0.7), as
	 * another client would.
	 */
	public PortalSession(String baseUrl, InetAddress localAddress) {
		this.baseUrl = baseUrl;
		HttpClient.Builder builder = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.followRedirects(HttpClient.Redirect.NEVER);
		if (localAddress != null) {
			builder.localAddress(localAddress);
		}
		this.http = builder.build();
	}

	/**
	 * Signs in through the form; answers the response (302 to the account page on
	 * success).
	 */
	public Http.Response signIn(String username, String password) {
		get("/login");
		return form("/login", Map.of("username", username, "password", password));
	}

	/** Signs in and insists that it worked. */
	public PortalSession signedIn(String username, String password) {
		Http.Response response = signIn(username, password);
		assertThat(response.status()).as("sign-in of " + username).isEqualTo(302);
		assertThat(response.header("Location")).endsWith("/account/tokens");
		get("/account/tokens");
		return this;
	}

	public Http.Response get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path)).GET());
	}

	/** Posts a form with the CSRF token of the last page read. */
	public Http.Response form(String path, Map<String, String> fields) {
		Map<String, String> all = new LinkedHashMap<>(fields);
		if (this.csrf != null) {
			all.putIfAbsent("_csrf", this.csrf);
		}
		String body = all.entrySet()
			.stream()
			.map((field) -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/**
	 * Calls the API with the session cookie (and the CSRF header, as a page's script
	 * would).
	 */
	public Http.Response api(String method, String path, Object body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))
							: HttpRequest.BodyPublishers.noBody())
			.header("Content-Type", "application/json");
		if (this.csrf != null) {
			request.header("X-CSRF-TOKEN", this.csrf);
		}
		return send(request);
	}

	/**
	 * The one-time nonce of the generate form in {@code page} (see the portal's
	 * FormNonces).
	 */
	public static String nonce(String page) {
		Matcher matcher = NONCE.matcher(page);
		assertThat(matcher.find()).as("a generate form's nonce in the page").isTrue();
		return matcher.group(1);
	}

	/** The value of the CSRF field in the last page read. */
	public String csrf() {
		return this.csrf;
	}

	private Http.Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			Matcher token = CSRF.matcher(response.body());
			if (token.find()) {
				this.csrf = token.group(1);
			}
			return new Http.Response(response.statusCode(), response.headers().map(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
