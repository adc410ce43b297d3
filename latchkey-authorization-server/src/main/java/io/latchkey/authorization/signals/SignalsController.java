package io.latchkey.authorization.signals;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.core.event.SecurityEventCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The Shared Signals transmitter's HTTP side (SSF 1.0): the configuration document
 * {@value #CONFIGURATION}, open to anyone, and for a receiver with its access token the
 * stream {@value #STREAM} ({@code POST} creates, {@code GET} reads, {@code PATCH}
 * updates, {@code PUT} replaces, {@code DELETE} deletes), its status {@value #STATUS},
 * verification {@value #VERIFY} and poll delivery {@value #POLL}. Bodies are read here
 * rather than bound, so that every malformed one names its field.
 *
 * @since 0.1
 */
@RestController
public class SignalsController {

	/** The transmitter configuration document. */
	public static final String CONFIGURATION = "/.well-known/ssf-configuration";

	/** The stream configuration endpoint. */
	public static final String STREAM = "/ssf/stream";

	/** The stream status endpoint. */
	public static final String STATUS = "/ssf/status";

	/** The verification endpoint. */
	public static final String VERIFY = "/ssf/verify";

	/** The poll endpoint (RFC 8936). */
	public static final String POLL = "/ssf/poll";

	private final SignalStreamService streams;

	private final SignalPolls polls;

	private final @Nullable String issuer;

	private final String jwkSetEndpoint;

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * @param streams the receivers' streams
	 * @param polls poll delivery
	 * @param issuer the configured issuer; {@code null}: the address the request came to
	 * @param jwkSetEndpoint the path of the authorization server's JWK set
	 */
	public SignalsController(SignalStreamService streams, SignalPolls polls, @Nullable String issuer,
			String jwkSetEndpoint) {
		Assert.notNull(streams, "streams cannot be null");
		Assert.notNull(polls, "polls cannot be null");
		Assert.hasText(jwkSetEndpoint, "jwkSetEndpoint cannot be empty");
		this.streams = streams;
		this.polls = polls;
		this.issuer = (issuer != null) ? issuer.replaceAll("/+$", "") : null;
		this.jwkSetEndpoint = jwkSetEndpoint;
	}

	@GetMapping(CONFIGURATION)
	Map<String, Object> configuration() {
		String issuer = issuer();
		Map<String, Object> configuration = new LinkedHashMap<>();
		configuration.put("spec_version", "1_0");
		configuration.put("issuer", issuer);
		configuration.put("jwks_uri", issuer + this.jwkSetEndpoint);
		configuration.put("delivery_methods_supported", List.of(Delivery.PUSH, Delivery.POLL));
		configuration.put("configuration_endpoint", issuer + STREAM);
		configuration.put("status_endpoint", issuer + STATUS);
		configuration.put("verification_endpoint", issuer + VERIFY);
		configuration.put("authorization_schemes", List.of(Map.of("spec_urn", "urn:ietf:rfc:6749")));
		configuration.put("default_subjects", "ALL");
		return configuration;
	}

	@PostMapping(STREAM)
	ResponseEntity<Map<String, Object>> create(Authentication receiver,
			@RequestBody(required = false) byte @Nullable [] body) {
		SignalStream stream = this.streams.create(receiver.getName(), issuer(), pollUrl(), read(body));
		return ResponseEntity.status(HttpStatus.CREATED).body(view(stream, this.streams.minVerificationInterval()));
	}

	@GetMapping(STREAM)
	Object read(Authentication receiver,
			@RequestParam(name = "stream_id", required = false) @Nullable String streamId) {
		if (streamId == null) {
			return this.streams.find(receiver.getName())
				.map((stream) -> view(stream, this.streams.minVerificationInterval()))
				.map(List::of)
				.orElse(List.of());
		}
		return view(this.streams.read(receiver.getName(), streamId), this.streams.minVerificationInterval());
	}

	@PatchMapping(STREAM)
	Map<String, Object> update(Authentication receiver, @RequestBody(required = false) byte @Nullable [] body) {
		return view(this.streams.update(receiver.getName(), pollUrl(), read(body), false),
				this.streams.minVerificationInterval());
	}

	@PutMapping(STREAM)
	Map<String, Object> replace(Authentication receiver, @RequestBody(required = false) byte @Nullable [] body) {
		return view(this.streams.update(receiver.getName(), pollUrl(), read(body), true),
				this.streams.minVerificationInterval());
	}

	@DeleteMapping(STREAM)
	ResponseEntity<Void> delete(Authentication receiver,
			@RequestParam(name = "stream_id", required = false) @Nullable String streamId) {
		this.streams.delete(receiver.getName(), streamId);
		return ResponseEntity.noContent().build();
	}

	@GetMapping(STATUS)
	Map<String, Object> status(Authentication receiver,
			@RequestParam(name = "stream_id", required = false) @Nullable String streamId) {
		if (streamId == null) {
			throw new InvalidRequestException("stream_id", "is required");
		}
		return statusView(this.streams.read(receiver.getName(), streamId));
	}

	@PostMapping(STATUS)
	Map<String, Object> setStatus(Authentication receiver, @RequestBody(required = false) byte @Nullable [] body) {
		return statusView(this.streams.status(receiver.getName(), read(body)));
	}

	@PostMapping(VERIFY)
	ResponseEntity<Void> verify(Authentication receiver, @RequestBody(required = false) byte @Nullable [] body) {
		this.streams.verify(receiver.getName(), read(body));
		return ResponseEntity.noContent().build();
	}

	@PostMapping(POLL)
	Map<String, Object> poll(Authentication receiver, @RequestBody(required = false) byte @Nullable [] body) {
		return this.polls.poll(receiver.getName(), read(body));
	}

	private JsonNode read(byte @Nullable [] body) {
		if (body == null || body.length == 0) {
			throw new InvalidRequestException("body", "is required: a JSON object");
		}
		try {
			return this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new InvalidRequestException("body", "is not valid JSON");
		}
	}

	private String issuer() {
		if (this.issuer != null) {
			return this.issuer;
		}
		return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
	}

	private URI pollUrl() {
		return URI.create(issuer() + POLL);
	}

	/**
	 * A stream as SSF shows it; the push authorization header, a secret of the
	 * receiver's, is never shown back.
	 */
	static Map<String, Object> view(SignalStream stream, Duration minVerificationInterval) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("stream_id", stream.id());
		view.put("iss", stream.issuer());
		view.put("aud", stream.receiver());
		view.put("events_supported", SecurityEventCodec.SUPPORTED);
		view.put("events_requested", stream.eventsRequested());
		view.put("events_delivered", stream.eventsDelivered());
		view.put("delivery", Map.of("method", stream.delivery().method(), "endpoint_url",
				stream.delivery().endpointUrl().toString()));
		if (stream.description() != null) {
			view.put("description", stream.description());
		}
		view.put("min_verification_interval", minVerificationInterval.toSeconds());
		return view;
	}

	/**
	 * 429 with {@code Retry-After}: a verification event asked for sooner than
	 * {@code min_verification_interval} after the last.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> tooSoon(VerificationTooSoonException ex) {
		long seconds = ex.retryAfterSeconds();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
				"A verification event was sent less than min_verification_interval ago; ask again in " + seconds
						+ " seconds");
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
			.body(problem);
	}

	private static Map<String, Object> statusView(SignalStream stream) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("stream_id", stream.id());
		view.put("status", stream.status().value());
		if (stream.reason() != null) {
			view.put("reason", stream.reason());
		}
		return view;
	}

}
