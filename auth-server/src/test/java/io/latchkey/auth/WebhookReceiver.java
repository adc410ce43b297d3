package io.latchkey.auth;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real HTTP receiver on loopback for webhook notices, at {@code /hook}: keeps every
 * request it accepts, and can be told to fail a number of times before it accepts.
 * Register it on a static field ({@code @RegisterExtension}): it forgets what it received
 * before each test and stops after the class's last.
 */
public final class WebhookReceiver implements BeforeEachCallback, AfterAllCallback {

	private final HttpServer server;

	private final ConcurrentLinkedQueue<Delivery> received = new ConcurrentLinkedQueue<>();

	private final ConcurrentLinkedQueue<String> attempted = new ConcurrentLinkedQueue<>();

	private final AtomicInteger failuresBeforeSuccess = new AtomicInteger();

	private WebhookReceiver(HttpServer server) {
		this.server = server;
		this.server.createContext("/hook", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.attempted.add(body);
			int status = (this.failuresBeforeSuccess.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) ? 500 : 204;
			if (status == 204) {
				Map<String, String> headers = new HashMap<>();
				exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
				this.received.add(new Delivery(headers.get("X-latchkey-delivery"), headers, body));
			}
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
	}

	public static WebhookReceiver start() {
		try {
			WebhookReceiver receiver = new WebhookReceiver(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
			receiver.server.start();
			return receiver;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Points {@code latchkey.notices.webhook.*} at this receiver, signing with the given
	 * secret.
	 */
	public void register(DynamicPropertyRegistry registry, String secret) {
		registry.add("latchkey.notices.webhook.url", () -> url("/hook"));
		registry.add("latchkey.notices.webhook.secret", () -> secret);
	}

	/** Serves one more path on the same server (another endpoint a test talks to). */
	public void serve(String path, HttpHandler handler) {
		this.server.createContext(path, handler);
	}

	public String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	/** Every delivery accepted, oldest first. */
	public List<Delivery> received() {
		return List.copyOf(this.received);
	}

	/** The deliveries about the given owner's tokens, oldest first. */
	public List<Delivery> about(String owner) {
		return this.received.stream().filter((delivery) -> delivery.body().contains(owned(owner))).toList();
	}

	/** Whether a notice of the given type naming the given id was accepted. */
	public boolean told(String type, String id) {
		return this.received.stream()
			.anyMatch((delivery) -> delivery.body().contains("\"type\":\"" + type + "\"")
					&& delivery.body().contains(id));
	}

	/** How many times a notice about the owner's tokens was tried, failed or not. */
	public long attempts(String owner) {
		return this.attempted.stream().filter((body) -> body.contains(owned(owner))).count();
	}

	/** Answers 500 to the next {@code failures} requests, then accepts again. */
	public void failNext(int failures) {
		this.failuresBeforeSuccess.set(failures);
	}

	/** Forgets what was received and tried, and accepts again. */
	public void clear() {
		this.received.clear();
		this.attempted.clear();
		this.failuresBeforeSuccess.set(0);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		clear();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
	}

	public void stop() {
		this.server.stop(0);
	}

	private static String owned(String owner) {
		return "\"owner\":\"" + owner + "\"";
	}

	/** One request the receiver accepted: its delivery id, headers and body. */
	public record Delivery(@Nullable String id, Map<String, String> headers, String body) {

		/**
		 * The signature a receiver that holds the secret computes: {@code sha256=} and
		 * the hex HMAC-SHA256 of the timestamp header, a dot and the body.
		 */
		public String signature(String secret) {
			try {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
				String signed = this.headers.get("X-latchkey-timestamp") + "." + this.body;
				return "sha256=" + HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
