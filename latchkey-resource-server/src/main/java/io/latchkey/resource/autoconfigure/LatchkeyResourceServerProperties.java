package io.latchkey.resource.autoconfigure;

import java.time.Duration;

import io.latchkey.core.event.LatchkeyEvents;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

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
 * @since 0.1
 */
@Validated
@ConfigurationProperties("latchkey.resource")
public record LatchkeyResourceServerProperties(@Valid @DefaultValue Introspection introspection,
		@NotBlank @DefaultValue(LatchkeyEvents.DEFAULT_CHANNEL) String eventsChannel) {

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
	 */
	public record Introspection(@NotNull @DefaultValue("2s") Duration connectTimeout,
			@NotNull @DefaultValue("5s") Duration readTimeout, @DefaultValue("true") boolean cacheEnabled,
			@Positive @DefaultValue("10000") long cacheMaxSize, @NotNull @DefaultValue("60s") Duration cacheMaxAge,
			@NotNull @DefaultValue("10s") Duration inactiveTtl, @DefaultValue("5") int retryAfterSeconds,
			@Positive @DefaultValue("64") int maxConnections) {
	}

}
