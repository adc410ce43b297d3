package io.latchkey.authorization.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.latchkey.authorization.access.Right;
import io.latchkey.authorization.directory.Names;
import io.latchkey.authorization.support.MaxBytes;
import io.latchkey.authorization.throttle.ThrottlePolicy;
import io.latchkey.authorization.token.TokenPolicy;
import io.latchkey.core.event.LatchkeyEvents;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the Latchkey authorization-server library configures, under {@code latchkey.*};
 * documented in the README's configuration table. Spring Boot's own properties
 * ({@code spring.data.redis.*}, {@code spring.security.oauth2.authorizationserver.*}) configure
 * Redis and the registered clients.
 */
@Validated
@ConfigurationProperties("latchkey")
public record LatchkeyProperties(@Valid @DefaultValue TokenPolicy tokens, @DefaultValue List<@Valid Right> rights,
		@Valid @DefaultValue Admin admin, @Valid @DefaultValue Introspection introspection,
		@Valid @DefaultValue Redis redis, @Valid @DefaultValue Portal portal,
		@Valid @DefaultValue ThrottlePolicy throttle, @Valid @DefaultValue Http http,
		@Valid @DefaultValue Exchange exchange, @Valid @DefaultValue Notices notices) {

	/**
	 * The first administrator, created on first start with an empty directory; without a
	 * password, one is generated and written to {@code generated-password-file}, never logged.
	 */
	public record Admin(@NotBlank @DefaultValue("admin") String username,
			@MaxBytes(value = Names.PASSWORD_MAX_BYTES,
					message = "must be at most 72 bytes in UTF-8 (BCrypt ignores the rest)") @Nullable String password,
			@NotBlank @DefaultValue("Administrators") String group,
			@NotBlank @DefaultValue("latchkey-admin-password") String generatedPasswordFile) {
	}

	/**
	 * Which registered OAuth clients may introspect and revoke personal access tokens, and the
	 * cache of verified tokens and owners that makes a hot token cost no round trip.
	 */
	public record Introspection(@NotNull @DefaultValue("resource-api") Set<String> allowedClients,
			@NotNull @DefaultValue("10m") Duration clientSecretCacheTtl, @DefaultValue("true") boolean cacheEnabled,
			@Positive @DefaultValue("100000") long cacheMaxSize, @NotNull @DefaultValue("30s") Duration cacheMaxAge) {
	}

	/**
	 * Redis key layout, event channel and audit streams (the lifecycle trail, and apart from it
	 * the summaries of failed and throttled attempts), and how many replicas must confirm a
	 * change (Redis {@code WAIT}) before it is acknowledged, within {@code wait-timeout}.
	 */
	public record Redis(@NotBlank @DefaultValue("lk") String keyPrefix,
			@NotBlank @DefaultValue(LatchkeyEvents.DEFAULT_CHANNEL) String eventsChannel,
			@Positive @DefaultValue("100000") long auditMaxLength, @PositiveOrZero @DefaultValue("0") int waitReplicas,
			@NotNull @DefaultValue("1s") Duration waitTimeout,
			@Positive @DefaultValue("100000") long attemptsMaxLength) {
	}

	/** Sessions (of a portal, or of any password sign-in that keeps a session). */
	public record Portal(@NotNull @DefaultValue("15m") Duration reauthenticateAfter,
			@NotNull @DefaultValue("12h") Duration sessionMaxAge) {
	}

	/**
	 * RFC 8693 exchange of a personal access token for a short-lived JWT: which registered
	 * clients (with the token-exchange grant) may exchange (none unless listed), the longest life
	 * of such a JWT, and the signing keys as a JSON Web Key set with private keys (empty:
	 * generated once and kept in Redis for every instance).
	 */
	public record Exchange(@NotNull @DefaultValue Set<String> allowedClients,
			@NotNull @DefaultValue("5m") Duration maxTimeToLive, @Nullable String jwkSet) {
	}

	/**
	 * Expiry notices: the stages before expiry (a notice also goes out at expiry), how often the
	 * schedule is checked and a failed notice retried, the sender of e-mails (sent through
	 * {@code spring.mail.*} when configured), a link to the portal in them, and the webhook.
	 */
	public record Notices(@NotNull @DefaultValue({ "30d", "7d", "1d" }) List<Duration> stages,
			@NotNull @DefaultValue("1h") Duration checkEvery, @NotNull @DefaultValue("1h") Duration retryAfter,
			@NotBlank @DefaultValue("latchkey@localhost") String mailFrom, @Nullable String portalUrl,
			@Valid @DefaultValue Webhook webhook) {
	}

	/**
	 * The webhook that gets expiry notices as signed JSON (off without a URL): its shared secret
	 * for the HMAC-SHA256 signature, and how often a failed delivery is tried, with exponential
	 * backoff from {@code backoff}.
	 */
	public record Webhook(@Nullable URI url, @Nullable String secret, @Positive @DefaultValue("4") int maxAttempts,
			@NotNull @DefaultValue("2s") Duration backoff) {
	}

	/**
	 * Every HTTP request: its largest body, and the proxies (CIDR ranges) whose
	 * {@code Forwarded} or {@code X-Forwarded-For} say who the client is; nobody else's do.
	 */
	public record Http(@NotNull @DefaultValue("64KB") DataSize maxBodySize,
			@NotNull @DefaultValue List<String> trustedProxies) {
	}

}
