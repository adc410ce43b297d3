package io.latchkey.resource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP receiver on loopback standing for the auth server: each path answers what
 * its handler makes of the request's form parameters and headers.
 */
public final class AuthServerStub {

	private final HttpServer server;

	private AuthServerStub(HttpServer server) {
		this.server = server;
	}

	/** A stub answering nothing yet. */
	public static AuthServerStub start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.start();
			return new AuthServerStub(server);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Answers requests to {@code path} with 200 and what {@code handler} returns.
	 * @param path the path
	 * @param handler from the form parameters and the request headers to the answer
	 * @return this stub
	 */
	public AuthServerStub answer(String path, BiFunction<Map<String, String>, Headers, Answer> handler) {
		this.server.createContext(path, (exchange) -> {
			String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			Map<String, String> parameters = new LinkedHashMap<>();
			for (String pair : form.split("&")) {
				int equals = pair.indexOf('=');
				if (equals > 0) {
					parameters.put(pair.substring(0, equals),
							URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
				}
			}
			Answer answer = handler.apply(parameters, exchange.getRequestHeaders());
			byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", answer.contentType());
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		return this;
	}

	/** Its introspection endpoint's URL. */
	public String introspectionUri() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/oauth2/introspect";
	}

	/** Its origin, as its issuer. */
	public String origin() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	public void stop() {
		this.server.stop(0);
	}

	/** What a path answers. */
	public record Answer(String contentType, String body) {

		public static Answer json(String body) {
			return new Answer("application/json", body);
		}

	}

}
