package io.latchkey.authorization.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The OpenID Shared Signals transmitter ({@code latchkey.signals.*}): revocations and
 * rights changes as signed Security Event Tokens, pushed (RFC 8935) or polled (RFC 8936)
 * by receivers that need neither Redis nor Latchkey's library. It is on once
 * {@code allowed-clients} names a client.
 *
 * @param allowedClients registered clients that may manage a stream, each with an access
 * token from {@code /oauth2/token} ({@code client_credentials}, scope
 * {@code ssf.stream}); the audience of the events they hear is their client id; empty, no
 * transmitter
 * @param allowedPushUrls where events may be pushed: patterns of whole URLs matched part
 * by part, in which {@code *} is one host label ({@code [a-z0-9-]+}), any port (as the
 * whole port) or one path segment without {@code %} (e.g.
 * {@code https://*.internal.example.com/ssf/events}); scheme, port (default made
 * explicit) and every other label and segment must be equal, and user info, a query, a
 * fragment, {@code .}/{@code ..} segments, encoded slashes, {@code ;} and numeric hosts
 * other than dotted quads are refused; a stream asking for a URL none of them matches is
 * refused, so that no receiver makes the server call a URL of its choice
 * @param issuer the {@code iss} of the events and the configuration document; unset, the
 * authorization server's issuer
 * ({@code spring.security.oauth2.authorizationserver.issuer}), else the address the
 * receiver reached the transmitter at when it created its stream
 * @param maxEvents the events one stream keeps undelivered; past them, the oldest are
 * dropped, and the receiver is told so that it empties its cache
 * @param pollWait how long a poll that asks to wait ({@code returnImmediately: false})
 * waits for an event
 * @param pushMaxAttempts deliveries of one event tried before its stream is skipped until
 * {@code push-retry-after}
 * @param pushBackoff the first wait between pushes of one event, doubling
 * @param pushRetryAfter when a stream whose push failed every attempt is tried again
 * @param pushEvery how often each instance looks for events to push
 * @param minVerificationInterval the least time between two verification events one
 * receiver asks for ({@code min_verification_interval} in its stream); sooner is a 429
 * with {@code Retry-After}, since each costs a signature and a kept event
 * @since 0.1
 */
@Validated
@ConfigurationProperties("latchkey.signals")
public record LatchkeySignalsProperties(@NotNull @DefaultValue Set<String> allowedClients,
		@NotNull @DefaultValue List<String> allowedPushUrls, @Nullable URI issuer,
		@Positive @DefaultValue("10000") int maxEvents, @NotNull @DefaultValue("5s") Duration pollWait,
		@Positive @DefaultValue("5") int pushMaxAttempts, @NotNull @DefaultValue("500ms") Duration pushBackoff,
		@NotNull @DefaultValue("1m") Duration pushRetryAfter, @NotNull @DefaultValue("200ms") Duration pushEvery,
		@NotNull @DefaultValue("5s") Duration minVerificationInterval) {

}
