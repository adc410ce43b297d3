package io.latchkey.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.latchkey.client.SampleClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP calls and sample-client runs for the end-to-end tests. */
final class Api {

	static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newHttpClient();

	private Api() {
	}

	record Response(int status, HttpResponse<String> raw) {

		JsonNode json() {
			return Api.json.readTree(this.raw.body());
		}

		String header(String name) {
			return this.raw.headers().firstValue(name).orElse(null);
		}

	}

	/** What a run of the sample client printed and returned. */
	record ClientRun(int exitCode, String out, String err) {
	}

	static Response send(String method, String url, String authorization, Object body) {
		return send(http, method, url, authorization, body);
	}

	/**
	 * Sends from {@code localAddress} (e.g. 127.0.0.9), as a client on another machine
	 * would.
	 */
	static Response sendFrom(InetAddress localAddress, String method, String url, String authorization) {
		return send(HttpClient.newBuilder().localAddress(localAddress).build(), method, url, authorization, null);
	}

	/**
	 * Sends with these headers (e.g. {@code Authorization} and a {@code DPoP} proof), a
	 * JSON body if there is one.
	 */
	static Response sendWithHeaders(String method, String url, Map<String, String> headers, Object body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
		headers.forEach(request::header);
		if (body != null) {
			request.header("Content-Type", "application/json");
			request.method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return send(http, request);
	}

	/** Posts an {@code application/x-www-form-urlencoded} form with these headers. */
	static Response postForm(String url, Map<String, String> headers, Map<String, String> form) {
		StringJoiner encoded = new StringJoiner("&");
		form.forEach((name, value) -> encoded.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
				+ URLEncoder.encode(value, StandardCharsets.UTF_8)));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(encoded.toString()));
		headers.forEach(request::header);
		return send(http, request);
	}

	private static Response send(HttpClient sender, String method, String url, String authorization, Object body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		if (body instanceof Map<?, ?> form && form.containsKey("token") && url.contains("/oauth2/")) {
			request.header("Content-Type", "application/x-www-form-urlencoded");
			request.method(method, HttpRequest.BodyPublishers.ofString("token=" + form.get("token")));
		}
		else if (body != null) {
			request.header("Content-Type", "application/json");
			request.method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return send(sender, request);
	}

	private static Response send(HttpClient sender, HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = sender.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static String basic(String username, String password) {
		return "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	static String bearer(String token) {
		return "Bearer " + token;
	}

	/** The {@code Authorization} of a token bound to a key (RFC 9449). */
	static String dpop(String token) {
		return "DPoP " + token;
	}

	static ClientRun client(Map<String, String> environment, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = new SampleClient(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8))
			.run(args);
		return new ClientRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	/**
	 * Polls until {@code done} holds or the deadline passes; answers the last response.
	 */
	static <T> T until(Duration deadline, Supplier<T> call, Predicate<T> done) {
		long end = System.nanoTime() + deadline.toNanos();
		T last = call.get();
		while (!done.test(last) && System.nanoTime() < end) {
			Thread.onSpinWait();
			last = call.get();
		}
		return last;
	}

	static List<String> values(JsonNode array) {
		return array.values().stream().map(JsonNode::asString).toList();
	}

}
