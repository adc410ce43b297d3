package io.latchkey.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.latchkey.auth.system.MaxBytes;
import io.latchkey.auth.user.Names;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything a Latchkey deployment configures, under {@code latchkey.*}. Documented in the
 * README's configuration table.
 */
@Validated
@ConfigurationProperties("latchkey")
public record LatchkeyProperties(@Valid @DefaultValue Tokens tokens, @NotEmpty List<@Valid Right> rights,
		@Valid @DefaultValue Admin admin, @Valid @DefaultValue Introspection introspection,
		@Valid @DefaultValue Redis redis, @Valid @DefaultValue Portal portal, @Valid @DefaultValue Throttle throttle,
		@Valid @DefaultValue Http http) {

	/** Token format and lifetime policy. */
	public record Tokens(@NotBlank @Pattern(regexp = "[a-z][a-z0-9]{1,9}") @DefaultValue("lkp") String prefix,
			@NotNull @DefaultValue("30d") Duration defaultLifetime, @NotNull @DefaultValue("365d") Duration maxLifetime,
			@NotNull @DefaultValue("1m") Duration lastUsedInterval,
			@NotNull @DefaultValue("30d") Duration keepExpiredFor, @Positive @DefaultValue("100") int maxPerUser) {
	}

	/** One entry of the rights catalog. */
	public record Right(@NotBlank @Pattern(regexp = "[a-z][a-z0-9_.:-]*") String name, String description) {
	}

	/** The first administrator, created on first start with an empty store. */
	public record Admin(@NotBlank @DefaultValue("admin") String username,
			@MaxBytes(value = Names.PASSWORD_MAX_BYTES,
					message = "must be at most 72 bytes in UTF-8 (BCrypt ignores the rest)") String password,
			@NotBlank @DefaultValue("Administrators") String group) {
	}

	/** Which registered OAuth clients may introspect and revoke personal access tokens. */
	public record Introspection(@NotNull @DefaultValue("resource-api") Set<String> allowedClients,
			@NotNull @DefaultValue("10m") Duration clientSecretCacheTtl) {
	}

	/** Redis key layout, event channel, audit stream and the embedded server. */
	public record Redis(@NotBlank @DefaultValue("lk") String keyPrefix,
			@NotBlank @DefaultValue("latchkey:events") String eventsChannel,
			@Positive @DefaultValue("100000") long auditMaxLength, @Valid @DefaultValue Embedded embedded) {
	}

	/** The web portal's sessions. */
	public record Portal(@NotNull @DefaultValue("15m") Duration reauthenticateAfter,
			@NotNull @DefaultValue("12h") Duration sessionMaxAge) {
	}

	/**
	 * Failed password checks and client authentications allowed per window, counted in Redis so
	 * that every instance shares them; past them, attempts get 429 before any password hashing.
	 */
	public record Throttle(@DefaultValue("true") boolean enabled, @Positive @DefaultValue("10") int failuresPerUsername,
			@Positive @DefaultValue("50") int failuresPerAddress, @Positive @DefaultValue("10") int failuresPerClient,
			@NotNull @DefaultValue("5m") Duration window) {
	}

	/** Limits of every HTTP request. */
	public record Http(@NotNull @DefaultValue("64KB") DataSize maxBodySize) {
	}

	/**
	 * A real redis-server started by the application when no external Redis is configured. It
	 * requires a password (generated and kept in the data folder unless configured), and has a
	 * second, restricted user for resource services: it may only subscribe to the events channel
	 * and use keys under its own prefix.
	 */
	public record Embedded(@DefaultValue("true") boolean enabled, @DefaultValue("6379") int port,
			@NotNull @DefaultValue("data/redis") Path dataDir, String password,
			@Valid @DefaultValue Subscriber subscriber) {
	}

	/** The embedded Redis's user for resource services. */
	public record Subscriber(@NotBlank @DefaultValue("resource-api") String username, String password,
			@NotBlank @DefaultValue("rapi") String keyPrefix) {
	}

}
