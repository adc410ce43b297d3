package io.latchkey.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything a Latchkey deployment configures, under {@code latchkey.*}. Documented in the
 * README's configuration table.
 */
@Validated
@ConfigurationProperties("latchkey")
public record LatchkeyProperties(@Valid @DefaultValue Tokens tokens, @NotEmpty List<@Valid Right> rights,
		@Valid @DefaultValue Admin admin, @Valid @DefaultValue Introspection introspection,
		@Valid @DefaultValue Redis redis, @Valid @DefaultValue Portal portal) {

	/** Token format and lifetime policy. */
	public record Tokens(@NotBlank @Pattern(regexp = "[a-z][a-z0-9]{1,9}") @DefaultValue("lkp") String prefix,
			@NotNull @DefaultValue("30d") Duration defaultLifetime, @NotNull @DefaultValue("365d") Duration maxLifetime,
			@NotNull @DefaultValue("1m") Duration lastUsedInterval,
			@NotNull @DefaultValue("30d") Duration keepExpiredFor) {
	}

	/** One entry of the rights catalog. */
	public record Right(@NotBlank @Pattern(regexp = "[a-z][a-z0-9_.:-]*") String name, String description) {
	}

	/** The first administrator, created on first start with an empty store. */
	public record Admin(@NotBlank @DefaultValue("admin") String username, String password,
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

	/** The web portal. */
	public record Portal(@NotNull @DefaultValue("15m") Duration reauthenticateAfter) {
	}

	/** A real redis-server started by the application when no external Redis is configured. */
	public record Embedded(@DefaultValue("true") boolean enabled, @DefaultValue("6379") int port,
			@NotNull @DefaultValue("data/redis") Path dataDir) {
	}

}
