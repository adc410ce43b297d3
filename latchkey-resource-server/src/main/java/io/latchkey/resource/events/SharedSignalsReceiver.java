package io.latchkey.resource.events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.latchkey.core.cache.EventDrivenCache;
import io.latchkey.core.event.SecurityEventCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.util.Assert;

/**
 * The auth server's events as an OpenID Shared Signals receiver, by poll (RFC 8936), with
 * no Redis: at start it gets an access token ({@code client_credentials}, scope
 * {@code ssf.stream}), reads the transmitter's configuration, creates its stream (or
 * turns the one it has to poll delivery), and empties the cache; then it polls at an
 * interval, acknowledging in each poll what the last one gave. Each SET is verified
 * against the transmitter's JWK set ({@code typ} {@code secevent+jwt}, {@code iss} the
 * transmitter, {@code aud} this client, {@code iat} neither in the future nor older than
 * {@code maxAge}) and applied by the shared rule ({@link SecurityEventCodec}). Whenever
 * delivery is uncertain the whole cache goes: at start, after a SET that fails
 * verification (refused back in {@code setErrs}), after a poll that failed, and when the
 * transmitter says events were lost.
 *
 * @since 0.1
 */
public final class SharedSignalsReceiver implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SharedSignalsReceiver.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final int MAX_EVENTS = 100;

	private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

	private final EventDrivenCache cache;

	private final String issuer;

	private final String clientId;

	private final String clientSecret;

	private final Duration pollEvery;

	private final Duration maxAge;

	private final SecurityEventCodec codec = new SecurityEventCodec();

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(TIMEOUT)
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final List<String> acknowledged = new ArrayList<>();

	private final Map<String, Object> refused = new LinkedHashMap<>();

	private Clock clock = Clock.systemUTC();

	private @Nullable Connection connection;

	private @Nullable ScheduledExecutorService runner;

	/**
	 * @param cache what the events make stale
	 * @param transmitter the transmitter's issuer (the auth server's address)
	 * @param clientId this service's client id, the events' audience
	 * @param clientSecret its secret
	 * @param pollEvery how often it polls
	 * @param maxAge the oldest event it accepts
	 */
	public SharedSignalsReceiver(EventDrivenCache cache, URI transmitter, String clientId, String clientSecret,
			Duration pollEvery, Duration maxAge) {
		Assert.notNull(cache, "cache cannot be null");
		Assert.notNull(transmitter, "transmitter cannot be null");
		Assert.hasText(clientId, "clientId cannot be empty");
		Assert.hasText(clientSecret, "clientSecret cannot be empty");
		this.cache = cache;
		this.issuer = transmitter.toString().replaceAll("/+$", "");
		this.clientId = clientId;
		this.clientSecret = clientSecret;
		this.pollEvery = pollEvery;
		this.maxAge = maxAge;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * One round: connects if it is not connected, then polls until nothing more is
	 * waiting. Answers how many events were applied; any failure empties the cache and
	 * connects again next round.
	 */
	public synchronized int runOnce() {
		try {
			Connection current = this.connection;
			if (current == null) {
				current = connect();
				this.cache.dropAll();
				this.connection = current;
				logger.info("Receiving the auth server's events by Shared Signals: polling " + current.pollUrl());
			}
			if (!this.clock.instant().isBefore(current.renewAt())) {
				Token token = accessToken();
				current = new Connection(token, current.decoder(), current.streams(), current.pollUrl(),
						renewAt(token));
				this.connection = current;
			}
			int applied = 0;
			boolean more = true;
			for (int polls = 0; more && polls < 10; polls++) {
				JsonNode answer = poll(current);
				more = answer.path("moreAvailable").asBoolean(false);
				JsonNode sets = answer.path("sets");
				for (String jti : sets.propertyNames()) {
					applied += apply(current, jti, sets.get(jti).asString());
				}
			}
			return applied;
		}
		catch (IOException | RuntimeException ex) {
			this.connection = null;
			this.cache.dropAll();
			logger.warn("Shared Signals delivery failed (" + ex.getClass().getSimpleName()
					+ "): every cached introspection answer was dropped; connecting again");
			return 0;
		}
	}

	private int apply(Connection connection, String jti, String set) {
		try {
			Jwt verified = connection.decoder().decode(set);
			this.cache.apply(this.codec, verified.getClaims());
			this.acknowledged.add(jti);
			return 1;
		}
		catch (JwtException ex) {
			this.cache.dropAll();
			this.refused.put(jti, Map.of("err", "invalid_request", "description", "The SET did not verify"));
			logger.warn("A Shared Signals event did not verify: every cached introspection answer was dropped");
			return 0;
		}
	}

	private JsonNode poll(Connection connection) throws IOException {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("ack", List.copyOf(this.acknowledged));
		if (!this.refused.isEmpty()) {
			request.put("setErrs", Map.copyOf(this.refused));
		}
		request.put("maxEvents", MAX_EVENTS);
		request.put("returnImmediately", true);
		JsonNode answer = send(connection, "POST", connection.pollUrl(), request, 200);
		this.acknowledged.clear();
		this.refused.clear();
		return answer;
	}

	private Connection connect() throws IOException {
		JsonNode configuration = call(
				HttpRequest.newBuilder(URI.create(this.issuer + "/.well-known/ssf-configuration")).GET(), 200);
		Token token = accessToken();
		JwtDecoder decoder = decoder(URI.create(configuration.path("jwks_uri").asString()));
		URI streams = URI.create(configuration.path("configuration_endpoint").asString());
		Connection connection = new Connection(token, decoder, streams, streams, renewAt(token));
		JsonNode existing = send(connection, "GET", streams, null, 200);
		JsonNode stream;
		Map<String, Object> poll = Map.of("method", "urn:ietf:rfc:8936");
		if (existing.isArray() && !existing.isEmpty()) {
			stream = send(connection, "PUT", streams, Map.of("stream_id", existing.get(0).path("stream_id").asString(),
					"delivery", poll, "events_requested", SecurityEventCodec.SUPPORTED), 200);
		}
		else {
			stream = send(connection, "POST", streams,
					Map.of("delivery", poll, "events_requested", SecurityEventCodec.SUPPORTED), 201);
		}
		URI pollUrl = URI.create(stream.path("delivery").path("endpoint_url").asString());
		return new Connection(token, decoder, streams, pollUrl, renewAt(token));
	}

	/**
	 * When a token should be replaced: a minute before it expires, or at half its life.
	 */
	private Instant renewAt(Token token) {
		Duration life = Duration.ofSeconds(Math.max(token.expiresIn(), 2));
		Duration margin = (life.compareTo(Duration.ofMinutes(2)) > 0) ? Duration.ofMinutes(1) : life.dividedBy(2);
		return this.clock.instant().plus(life.minus(margin));
	}

	private Token accessToken() throws IOException {
		String credentials = Base64.getEncoder()
			.encodeToString((this.clientId + ":" + this.clientSecret).getBytes(StandardCharsets.UTF_8));
		JsonNode token = call(HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/token"))
			.header("Authorization", "Basic " + credentials)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=ssf.stream")), 200);
		return new Token(token.path("access_token").asString(), token.path("expires_in").asLong(300));
	}

	private JwtDecoder decoder(URI jwkSetUri) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUri.toString()).validateType(false).build();
		List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
		checks.add(new JwtTypeValidator(SecurityEventCodec.TYP));
		checks.add(new JwtIssuerValidator(this.issuer));
		checks.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
				(audience) -> audience != null && audience.contains(this.clientId)));
		checks.add(new JwtClaimValidator<Instant>(JwtClaimNames.IAT, this::fresh));
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(checks));
		return decoder;
	}

	private boolean fresh(@Nullable Instant issuedAt) {
		Instant now = this.clock.instant();
		return issuedAt != null && !issuedAt.isAfter(now.plus(CLOCK_SKEW))
				&& !issuedAt.isBefore(now.minus(this.maxAge));
	}

	private JsonNode send(Connection connection, String method, URI uri, @Nullable Object body, int expected)
			throws IOException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.header("Authorization", "Bearer " + connection.token().value())
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body))
					: HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		return call(request, expected);
	}

	private JsonNode call(HttpRequest.Builder request, int expected) throws IOException {
		HttpResponse<String> response;
		try {
			response = this.http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
		if (response.statusCode() != expected) {
			throw new IOException("The transmitter answered " + response.statusCode());
		}
		try {
			return this.json.readTree(response.body());
		}
		catch (JacksonException ex) {
			throw new IOException("The transmitter's answer is not JSON");
		}
	}

	@Override
	public synchronized void start() {
		if (this.runner == null) {
			this.runner = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "latchkey-shared-signals");
				thread.setDaemon(true);
				return thread;
			});
			this.runner.scheduleWithFixedDelay(this::runOnce, 0, Math.max(this.pollEvery.toMillis(), 10),
					TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.runner != null) {
			this.runner.shutdownNow();
			this.runner = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.runner != null;
	}

	/** What a connected receiver knows: its token, the keys, its stream. */
	private record Connection(Token token, JwtDecoder decoder, URI streams, URI pollUrl, Instant renewAt) {

		@Override
		public String toString() {
			return "Connection[pollUrl=" + this.pollUrl + "]";
		}

	}

	/** An access token and how long it lasts. */
	private record Token(String value, long expiresIn) {

		@Override
		public String toString() {
			return "Token[expiresIn=" + this.expiresIn + "]";
		}

	}

}
