package io.latchkey.authorization.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the Latchkey authorization-server library configures, under
 * {@code latchkey.*}; the configuration reference ({@code docs/configuration.md}) is
 * generated from this. Spring Boot's own properties ({@code spring.data.redis.*},
 * {@code spring.security.oauth2.authorizationserver.*}) configure Redis and the
 * registered clients.
 *
 * @param tokens the token policy
 * @param rights the rights catalog (name and description of each); Latchkey's own
 * {@code users.manage}, {@code tokens.manage} and {@code audit.read} are always in it
 * @param admin the first administrator
 * @param introspection who may introspect, and the verification cache
 * @param redis the Redis key layout, events channel, audit streams and replica
 * acknowledgement
 * @param portal sessions and re-authentication
 * @param throttle guessing throttled
 * @param http what every HTTP request is read with
 * @param exchange RFC 8693 token exchange
 * @param notices expiry notices
 * @param resourceServices the resource services a token may be meant for, by client id
 * (each one of {@code introspection.allowed-clients}, which are all resource services
 * whether described here or not): {@code <client-id>.name}, what the portal shows (unset,
 * the client id), and {@code <client-id>.resource}, its RFC 8707 resource URI, by which
 * token exchange may name it
 * @since 0.1
 */
@Validated
@ConfigurationProperties("latchkey")
public record LatchkeyProperties(@Valid @DefaultValue @NestedConfigurationProperty TokenPolicy tokens,
		@DefaultValue List<@Valid Right> rights, @Valid @DefaultValue Admin admin,
		@Valid @DefaultValue Introspection introspection, @Valid @DefaultValue Redis redis,
		@Valid @DefaultValue Portal portal, @Valid @DefaultValue @NestedConfigurationProperty ThrottlePolicy throttle,
		@Valid @DefaultValue Http http, @Valid @DefaultValue Exchange exchange, @Valid @DefaultValue Notices notices,
		@DefaultValue Map<String, @Valid ResourceService> resourceServices) {

	/**
	 * A resource service as the portal and token exchange name it.
	 *
	 * @param name what the portal shows; unset, its client id
	 * @param resource its RFC 8707 resource URI, by which token exchange may name it
	 */
	public record ResourceService(@Nullable String name, @Nullable URI resource) {
	}

	/**
	 * The first administrator, created on first start with an empty directory; without a
	 * password, one is generated and written to {@code generated-password-file}, never
	 * logged.
	 *
	 * @param username its username
	 * @param password its password (at most 72 bytes); generated when unset
	 * @param group the group holding every right it is put in
	 * @param generatedPasswordFile where a generated password is written, readable by its
	 * owner only
	 */
	public record Admin(@NotBlank @DefaultValue("admin") String username,
			@MaxBytes(value = Names.PASSWORD_MAX_BYTES,
					message = "must be at most 72 bytes in UTF-8 (BCrypt ignores the rest)") @Nullable String password,
			@NotBlank @DefaultValue("Administrators") String group,
			@NotBlank @DefaultValue("latchkey-admin-password") String generatedPasswordFile) {
	}

	/**
	 * Which registered OAuth clients may introspect and revoke personal access tokens,
	 * and the cache of verified tokens and owners that makes a hot token cost no round
	 * trip.
	 *
	 * @param allowedClients registered clients allowed to introspect and revoke personal
	 * access tokens
	 * @param clientSecretCacheTtl how long a verified client secret is remembered
	 * @param cacheEnabled whether verified token records and owners' states are kept in
	 * memory
	 * @param cacheMaxSize how many token records (and, apart, owners' states) are kept
	 * @param cacheMaxAge the longest a kept record or state is used without asking Redis;
	 * never past the token's expiry
	 */
	public record Introspection(@NotNull @DefaultValue("resource-api") Set<String> allowedClients,
			@NotNull @DefaultValue("10m") Duration clientSecretCacheTtl, @DefaultValue("true") boolean cacheEnabled,
			@Positive @DefaultValue("100000") long cacheMaxSize, @NotNull @DefaultValue("30s") Duration cacheMaxAge) {
	}

	/**
	 * Redis key layout, event channel and audit streams (the lifecycle trail, and apart
	 * from it the summaries of failed and throttled attempts), and how many replicas must
	 * confirm a change (Redis {@code WAIT}) before it is acknowledged, within
	 * {@code wait-timeout}.
	 *
	 * @param keyPrefix the prefix of every key
	 * @param eventsChannel the pub/sub channel of revocation events
	 * @param auditMaxLength the approximate cap of the lifecycle audit stream
	 * @param waitReplicas replicas that must confirm a change before it is acknowledged
	 * (on a Cluster, at each written key's primary); unconfirmed in time, the change
	 * answers 503
	 * @param waitTimeout how long replicas are waited for
	 * @param attemptsMaxLength the approximate cap of the stream of failed and throttled
	 * attempts
	 */
	public record Redis(@NotBlank @DefaultValue("lk") String keyPrefix,
			@NotBlank @DefaultValue(LatchkeyEvents.DEFAULT_CHANNEL) String eventsChannel,
			@Positive @DefaultValue("100000") long auditMaxLength, @PositiveOrZero @DefaultValue("0") int waitReplicas,
			@NotNull @DefaultValue("1s") Duration waitTimeout,
			@Positive @DefaultValue("100000") long attemptsMaxLength) {
	}

	/**
	 * Sessions (of a portal, or of any password sign-in that keeps a session).
	 *
	 * @param reauthenticateAfter how recent a password must be for every grant
	 * (passwords, groups, rights, generating and rotating tokens); older, the portal asks
	 * again and the API answers 403
	 * @param sessionMaxAge the absolute lifetime of a session, however active
	 */
	public record Portal(@NotNull @DefaultValue("15m") Duration reauthenticateAfter,
			@NotNull @DefaultValue("12h") Duration sessionMaxAge) {
	}

	/**
	 * RFC 8693 exchange of a personal access token for a short-lived JWT: which
	 * registered clients (with the token-exchange grant) may exchange (none unless
	 * listed), the longest life of such a JWT, and the signing keys as a JSON Web Key set
	 * with private keys (empty: generated once and kept in Redis for every instance).
	 *
	 * @param allowedClients registered clients (with the token-exchange grant) that may
	 * exchange personal access tokens for JWTs
	 * @param maxTimeToLive the longest life of an exchanged JWT, whatever the client's
	 * token settings
	 * @param jwkSet the signing keys, a JSON Web Key set with private keys; unset,
	 * generated once and kept in Redis
	 */
	public record Exchange(@NotNull @DefaultValue Set<String> allowedClients,
			@NotNull @DefaultValue("5m") Duration maxTimeToLive, @Nullable String jwkSet) {
	}

	/**
	 * Expiry notices: the stages before expiry (a notice also goes out at expiry), the
	 * stages before an unused token is revoked, how often the schedule is checked and a
	 * failed notice retried, the sender of e-mails (sent through {@code spring.mail.*}
	 * when configured), a link to the portal in them, and the webhook; and whether owners
	 * are told of uses from new addresses.
	 *
	 * @param stages how long before expiry notices go out (and one at expiry)
	 * @param checkEvery how often the schedule is checked
	 * @param retryAfter when a notice that could not be delivered is tried again
	 * @param mailFrom the sender of notice e-mails
	 * @param portalUrl the link to the portal in notices
	 * @param webhook the webhook notices are posted to
	 * @param newAddress whether a token's owner is told (by e-mail and webhook, at most
	 * once a day per token and /24 or /48 network) when the token is used from outside
	 * the networks of its recent addresses; the {@code token.new_address} audit record is
	 * written either way
	 * @param unusedStages how long before a token is revoked for not being used (with
	 * {@code latchkey.tokens.revoke-unused-after}) its owner is told; stages not shorter
	 * than {@code revoke-unused-after} are dropped
	 */
	public record Notices(@NotNull @DefaultValue( {
			"30d", "7d", "1d" }) List<Duration> stages, @NotNull @DefaultValue("1h") Duration checkEvery,
			@NotNull @DefaultValue("1h") Duration retryAfter,
			@NotBlank @DefaultValue("latchkey@localhost") String mailFrom, @Nullable String portalUrl,
			@Valid @DefaultValue Webhook webhook, @DefaultValue("false") boolean newAddress,
			@NotNull @DefaultValue("7d") List<Duration> unusedStages){
	}

	/**
	 * The webhook that gets expiry notices as signed JSON (off without a URL): its shared
	 * secret for the HMAC-SHA256 signature, and how often a failed delivery is tried,
	 * with exponential backoff from {@code backoff}.
	 *
	 * @param url where signed notices are posted; unset, no webhook
	 * @param secret the HMAC-SHA256 key of the signature, required with the URL
	 * @param maxAttempts deliveries tried
	 * @param backoff the first wait between deliveries, doubling
	 */
	public record Webhook(@Nullable URI url, @Nullable String secret, @Positive @DefaultValue("4") int maxAttempts,
			@NotNull @DefaultValue("2s") Duration backoff) {
	}

	/**
	 * Every HTTP request: its largest body, and the proxies (CIDR ranges) whose
	 * {@code Forwarded} or {@code X-Forwarded-For} say who the client is; nobody else's
	 * do.
	 *
	 * @param maxBodySize the largest request body; larger ones get 413
	 * @param trustedProxies proxies (CIDR ranges) whose {@code Forwarded} or
	 * {@code X-Forwarded-For} name the client; nobody else's do
	 */
	public record Http(@NotNull @DefaultValue("64KB") DataSize maxBodySize,
			@NotNull @DefaultValue List<String> trustedProxies) {
	}

}
