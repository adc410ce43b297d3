package io.latchkey.resource.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.latchkey.core.event.LatchkeyEvents;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the Latchkey resource-server library configures, under
 * {@code latchkey.resource.*}. The auth server's address and this service's client
 * credentials are Spring Boot's standard
 * {@code spring.security.oauth2.resourceserver.opaquetoken.*} properties; the Redis the
 * events come from is {@code spring.data.redis.*}.
 *
 * @param introspection talking to the auth server, and caching what it said
 * @param eventsChannel the pub/sub channel of the auth server's revocation events (its
 * {@code latchkey.redis.events-channel})
 * @param keyPrefix the prefix of this service's own keys in Redis (the DPoP proofs it has
 * seen), which its Redis user may use
 * @param metadata what its RFC 9728 protected-resource metadata says
 * @param events where the auth server's events come from
 * @since 0.1
 */
@Validated
@ConfigurationProperties("latchkey.resource")
public record LatchkeyResourceServerProperties(@Valid @DefaultValue Introspection introspection,
		@NotBlank @DefaultValue(LatchkeyEvents.DEFAULT_CHANNEL) String eventsChannel,
		@NotBlank @DefaultValue("latchkey-resource") String keyPrefix, @Valid @DefaultValue Metadata metadata,
		@Valid @DefaultValue Events events) {

	/**
	 * Where the auth server's events come from: its Redis channel, or its OpenID Shared
	 * Signals transmitter over HTTP, polled by this service or pushed to it (this
	 * service's client must be in the auth server's
	 * {@code latchkey.signals.allowed-clients}, with the {@code client_credentials} grant
	 * and the scope {@code ssf.stream}; for push, {@code push-url} must match one of its
	 * {@code latchkey.signals.allowed-push-urls}).
	 *
	 * @param source {@code redis} (the channel of {@code events-channel}) or {@code ssf}
	 * @param transmitter the transmitter's issuer; unset, the introspection endpoint's
	 * origin
	 * @param delivery how Shared Signals events arrive: {@code poll} (this service asks
	 * every {@code poll-every}) or {@code push} (the transmitter posts each event to
	 * {@code push-path}, with a secret this service makes at every start)
	 * @param pollEvery how often the transmitter is polled
	 * @param pushPath where this service takes pushed events (RFC 8935), without a bearer
	 * token: only the transmitter, holding the secret, gets past 401
	 * @param pushUrl the URL the transmitter pushes to, as it reaches this service (this
	 * service's address of {@code push-path}); required with push delivery
	 * @param maxAge the oldest event accepted; an older one empties the cache
	 */
	public record Events(@NotNull @DefaultValue("redis") Source source, @Nullable URI transmitter,
			@NotNull @DefaultValue("poll") Delivery delivery, @NotNull @DefaultValue("1s") Duration pollEvery,
			@NotBlank @Pattern(regexp = "/.*") @DefaultValue("/ssf/events") String pushPath, @Nullable URI pushUrl,
			@NotNull @DefaultValue("1d") Duration maxAge) {

		/** Where events come from. */
		public enum Source {

			/** The auth server's Redis channel. */
			REDIS,

			/** Its Shared Signals transmitter. */
			SSF

		}

		/** How Shared Signals events arrive. */
		public enum Delivery {

			/** This service polls the transmitter (RFC 8936). */
			POLL,

			/** The transmitter pushes to this service (RFC 8935). */
			PUSH

		}

	}

	/**
	 * Talking to the auth server, and caching what it said.
	 *
	 * @param connectTimeout how long connecting to the auth server, or waiting for a
	 * pooled connection, may take
	 * @param readTimeout how long the auth server may take to answer
	 * @param cacheEnabled whether answers are cached at all; off, every request crosses
	 * to the auth server
	 * @param cacheMaxSize how many answers are cached
	 * @param cacheMaxAge the longest an active answer is kept; it bounds staleness should
	 * an event be lost
	 * @param inactiveTtl how long an inactive answer is kept
	 * @param retryAfterSeconds the {@code Retry-After} of a 503
	 * @param maxConnections how many keep-alive connections to the auth server are pooled
	 * @param signedAnswers whether answers are asked for signed (RFC 9701) and verified
	 * against the auth server's keys, so that a cached answer is a statement anyone can
	 * check later
	 * @param jwkSetUri the auth server's JSON Web Key set, which signs the answers;
	 * unset, {@code /oauth2/jwks} beside the introspection endpoint
	 */
	public record Introspection(@NotNull @DefaultValue("2s") Duration connectTimeout,
			@NotNull @DefaultValue("5s") Duration readTimeout, @DefaultValue("true") boolean cacheEnabled,
			@Positive @DefaultValue("10000") long cacheMaxSize, @NotNull @DefaultValue("60s") Duration cacheMaxAge,
			@NotNull @DefaultValue("10s") Duration inactiveTtl, @DefaultValue("5") int retryAfterSeconds,
			@Positive @DefaultValue("64") int maxConnections, @DefaultValue("false") boolean signedAnswers,
			@Nullable URI jwkSetUri) {
	}

	/**
	 * What this service's protected-resource metadata (RFC 9728) says besides Spring's
	 * defaults.
	 *
	 * @param resource its resource identifier; unset, the URL it is reached at
	 * @param name its human-readable name
	 * @param authorizationServer the issuer of its tokens; unset, the introspection
	 * endpoint's origin
	 * @param scopes the scopes it protects; unset, those its controllers'
	 * {@code @PreAuthorize} name
	 */
	public record Metadata(@Nullable URI resource, @Nullable String name, @Nullable URI authorizationServer,
			@Nullable List<String> scopes) {
	}

}
