package io.latchkey.resource.events;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
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
import java.util.stream.Collectors;

import com.nimbusds.jose.proc.BadJOSEException;
import io.latchkey.core.Secrets;
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
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.util.Assert;

/**
 * The auth server's events as an OpenID Shared Signals receiver, by poll (RFC 8936) or
 * push (RFC 8935), with no Redis: at start it gets an access token
 * ({@code client_credentials}, scope {@code ssf.stream}), reads the transmitter's
 * configuration, creates its stream (or turns the one it has to this delivery), and
 * empties the cache. Polling, it then polls at an interval, acknowledging in each poll
 * what the last one gave. Pushed to ({@link #setPushDelivery(URI)}), it names its URL and
 * an {@code Authorization} header carrying a secret it made, and takes each SET through
 * {@link #receive(String)}, from a caller that {@link #isTransmitter(String) presented
 * that header}; it connects again (with a new secret) only if that failed. Each SET is
 * verified against the transmitter's JWK set ({@code typ} {@code secevent+jwt},
 * {@code iss} the transmitter, {@code aud} this client, {@code iat} neither in the future
 * nor older than {@code maxAge}) and applied by the shared rule
 * ({@link SecurityEventCodec}). Whenever delivery is uncertain the whole cache goes: at
 * start, after a SET that fails verification (refused back in {@code setErrs}, or
 * answered with an RFC 8935 error), after a poll that failed, and when the transmitter
 * says events were lost.
 *
 * @since 0.1
 */
public final class SharedSignalsReceiver implements SmartLifecycle {

	/** Push delivery, RFC 8935. */
	public static final String PUSH = "urn:ietf:rfc:8935";

	/** Poll delivery, RFC 8936. */
	public static final String POLL = "urn:ietf:rfc:8936";

	private static final Log logger = LogFactory.getLog(SharedSignalsReceiver.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final int MAX_EVENTS = 100;

	private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

	/** The status of a stream that delivers (SSF 1.0, stream status). */
	private static final String ENABLED = "enabled";

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

	private final SecureRandom random = new SecureRandom();

	private Clock clock = Clock.systemUTC();

	private @Nullable URI pushUrl;

	/** What a push must carry as {@code Authorization}; never logged. */
	private volatile @Nullable String pushAuthorization;

	/** The transmitter's keys, known before its stream is asked for. */
	private volatile @Nullable JwtDecoder decoder;

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
	 * Asks for push delivery rather than poll: the transmitter posts each SET to
	 * {@code endpointUrl}, which must reach {@link #receive(String)}.
	 * @param endpointUrl this service's push endpoint as the transmitter reaches it
	 */
	public void setPushDelivery(URI endpointUrl) {
		Assert.notNull(endpointUrl, "endpointUrl cannot be null");
		this.pushUrl = endpointUrl;
	}

	/**
	 * Whether a push came from the transmitter: it carries the {@code Authorization}
	 * header this receiver gave its stream (compared in constant time). Before the stream
	 * exists nothing does.
	 * @param authorization the request's {@code Authorization} header
	 */
	public boolean isTransmitter(@Nullable String authorization) {
		String expected = this.pushAuthorization;
		return expected != null && authorization != null && Secrets.same(authorization, expected);
	}

	/**
	 * Verifies a pushed SET and applies it to the cache. A SET that fails verification
	 * empties the cache.
	 * @param set the SET, a JWS in compact form; {@code null} if what came was not one
	 * @return {@code null} once applied (answer 202), else why it was refused (answer 400
	 * with it), or that this receiver cannot verify yet (503, the transmitter tries
	 * again)
	 */
	public @Nullable PushError receive(@Nullable String set) {
		JwtDecoder current = this.decoder;
		if (current == null) {
			return PushError.NOT_READY;
		}
		PushError error;
		if (set == null) {
			this.cache.dropAll();
			error = new PushError(400, "invalid_request", "The body must be one SET, as application/secevent+jwt");
		}
		else {
			error = verifyAndApply(current, set);
		}
		if (error != null) {
			logger.warn("A pushed Shared Signals event was refused (" + error.err()
					+ "): every cached introspection answer was dropped");
		}
		return error;
	}

	/**
	 * A SET that cannot be read or does not verify empties the cache: it might have been
	 * a revocation.
	 */
	private @Nullable PushError verifyAndApply(JwtDecoder decoder, String set) {
		try {
			Jwt verified = decoder.decode(set);
			this.cache.apply(this.codec, verified.getClaims());
			return null;
		}
		catch (JwtException ex) {
			this.cache.dropAll();
			return PushError.of(ex);
		}
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
				logger.info("Receiving the auth server's events by Shared Signals: "
						+ ((this.pushUrl != null) ? "pushed to " + this.pushUrl : "polling " + current.pollUrl()));
			}
			if (!this.clock.instant().isBefore(current.renewAt())) {
				Token token = accessToken();
				current = new Connection(token, current.decoder(), current.streams(), current.statusUrl(),
						current.streamId(), current.pollUrl(), renewAt(token));
				this.connection = current;
			}
			if (this.pushUrl != null) {
				// Nothing arrives on a stream that was deleted or paused meanwhile: that
				// is
				// uncertain delivery too.
				String status = status(current);
				if (!ENABLED.equals(status)) {
					throw new IOException("The stream is " + status);
				}
				return 0;
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
			this.pushAuthorization = null;
			this.cache.dropAll();
			logger.warn("Shared Signals delivery failed (" + ex.getClass().getSimpleName()
					+ "): every cached introspection answer was dropped; connecting again");
			return 0;
		}
	}

	private int apply(Connection connection, String jti, String set) {
		PushError error = verifyAndApply(connection.decoder(), set);
		if (error == null) {
			this.acknowledged.add(jti);
			return 1;
		}
		this.refused.put(jti, Map.of("err", error.err(), "description", error.description()));
		logger.warn("A Shared Signals event did not verify: every cached introspection answer was dropped");
		return 0;
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
		this.decoder = decoder;
		URI streams = URI.create(configuration.path("configuration_endpoint").asString());
		Connection connection = new Connection(token, decoder, streams, streams, "", streams, renewAt(token));
		JsonNode existing = send(connection, "GET", streams, null, 200);
		JsonNode stream;
		Map<String, Object> delivery = delivery();
		if (existing.isArray() && !existing.isEmpty()) {
			stream = send(connection, "PUT", streams, Map.of("stream_id", existing.get(0).path("stream_id").asString(),
					"delivery", delivery, "events_requested", SecurityEventCodec.SUPPORTED), 200);
		}
		else {
			stream = send(connection, "POST", streams,
					Map.of("delivery", delivery, "events_requested", SecurityEventCodec.SUPPORTED), 201);
		}
		URI pollUrl = URI.create(stream.path("delivery").path("endpoint_url").asString());
		URI statusUrl = URI.create(configuration.path("status_endpoint").asString());
		String streamId = stream.path("stream_id").asString();
		connection = new Connection(token, decoder, streams, statusUrl, streamId, pollUrl, renewAt(token));
		// A stream left paused or disabled (by an earlier run, or by hand) would deliver
		// nothing, for good.
		if (!ENABLED.equals(status(connection))) {
			send(connection, "POST", statusUrl, Map.of("stream_id", streamId, "status", ENABLED), 200);
			logger.info("Shared Signals: the stream was not enabled; enabled it");
		}
		return connection;
	}

	/** The stream's status as the transmitter has it. */
	private String status(Connection connection) throws IOException {
		URI uri = URI.create(connection.statusUrl() + "?stream_id="
				+ URLEncoder.encode(connection.streamId(), StandardCharsets.UTF_8));
		return send(connection, "GET", uri, null, 200).path("status").asString();
	}

	/**
	 * Poll; or push to this service's URL with a new secret in the header, which pushes
	 * must carry from the moment the transmitter may use it.
	 */
	private Map<String, Object> delivery() {
		URI push = this.pushUrl;
		if (push == null) {
			return Map.of("method", POLL);
		}
		byte[] secret = new byte[32];
		this.random.nextBytes(secret);
		String authorization = "Bearer " + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		this.pushAuthorization = authorization;
		return Map.of("method", PUSH, "endpoint_url", push.toString(), "authorization_header", authorization);
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

	/**
	 * Why a pushed SET was refused, as RFC 8935 answers it: {@code err} and
	 * {@code description} in a JSON object, with {@code status}.
	 *
	 * @param status the HTTP status to answer
	 * @param err the RFC 8935 error code
	 * @param description what went wrong, naming no value of the SET
	 */
	public record PushError(int status, String err, String description) {

		/** The receiver has not read the transmitter's keys yet. */
		static final PushError NOT_READY = new PushError(503, "temporarily_unavailable",
				"The receiver is not connected to the transmitter yet");

		/** The RFC 8935 error for a SET that failed verification. */
		static PushError of(JwtException ex) {
			if (ex instanceof JwtValidationException invalid) {
				String errors = invalid.getErrors()
					.stream()
					.map((error) -> String.valueOf(error.getDescription()))
					.collect(Collectors.joining(" "));
				if (errors.contains("The iss claim")) {
					return new PushError(400, "invalid_issuer", "The SET's issuer is not the transmitter");
				}
				if (errors.contains("The aud claim")) {
					return new PushError(400, "invalid_audience", "The SET is not meant for this receiver");
				}
				return new PushError(400, "invalid_request", "The SET's typ or iat is not acceptable");
			}
			if (ex instanceof BadJwtException && ex.getCause() instanceof BadJOSEException) {
				return new PushError(400, "invalid_key",
						"The SET's signature does not verify with the " + "transmitter's keys");
			}
			if (ex instanceof BadJwtException) {
				return new PushError(400, "invalid_request", "The SET could not be read");
			}
			return new PushError(503, "temporarily_unavailable", "The transmitter's keys could not be read");
		}

	}

	/** What a connected receiver knows: its token, the keys, its stream. */
	private record Connection(Token token, JwtDecoder decoder, URI streams, URI statusUrl, String streamId, URI pollUrl,
			Instant renewAt) {

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
