package io.latchkey.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small real-HTTP client for tests: exact status, headers and body, no client-side
 * magic.
 */
public final class Http {

	private static final HttpClient client = HttpClient.newHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final String method;

	private final URI uri;

	private final Map<String, String> headers = new LinkedHashMap<>();

	private String body = "";

	private HttpClient sender = client;

	private Http(String method, String uri) {
		this.method = method;
		this.uri = URI.create(uri);
	}

	public static Http get(String uri) {
		return new Http("GET", uri);
	}

	public static Http post(String uri) {
		return new Http("POST", uri);
	}

	public static Http put(String uri) {
		return new Http("PUT", uri);
	}

	public static Http patch(String uri) {
		return new Http("PATCH", uri);
	}

	public static Http delete(String uri) {
		return new Http("DELETE", uri);
	}

	public Http basic(String username, String password) {
		return header("Authorization", "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
	}

	public Http bearer(String token) {
		return header("Authorization", "Bearer " + token);
	}

	/**
	 * Sends from {@code localAddress} (e.g. 127.0.0.7), as a client on another machine
	 * would.
	 */
	public Http from(java.net.InetAddress localAddress) {
		this.sender = HttpClient.newBuilder().localAddress(localAddress).build();
		return this;
	}

	public Http header(String name, String value) {
		this.headers.put(name, value);
		return this;
	}

	public Http json(String body) {
		this.body = body;
		return header("Content-Type", "application/json");
	}

	public Http json(Object body) {
		return json(json.writeValueAsString(body));
	}

	public Http form(Map<String, String> fields) {
		this.body = fields.entrySet()
			.stream()
			.map((field) -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return header("Content-Type", "application/x-www-form-urlencoded");
	}

	public Response send() {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.uri)
			.method(this.method, this.body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(this.body));
		this.headers.forEach(request::header);
		try {
			HttpResponse<String> response = this.sender.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers().map(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A response: status, headers (names in lower case) and body. */
	public record Response(int status, Map<String, List<String>> headers, String body) {

		public String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
				.map((entry) -> String.join(", ", entry.getValue()))
				.findFirst()
				.orElse(null);
		}

		public JsonNode json() {
			return json.readTree(this.body);
		}

	}

}
