package io.latchkey.authorization.token;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The token policy ({@code latchkey.tokens.*}): the prefix of this deployment's tokens, default
 * and maximum lifetime, how often "last used" is written, how long expired tokens stay listed,
 * and how many live tokens a user may hold.
 */
public record TokenPolicy(@NotBlank @Pattern(regexp = "[a-z][a-z0-9]{1,9}") @DefaultValue("lkp") String prefix,
		@NotNull @DefaultValue("30d") Duration defaultLifetime, @NotNull @DefaultValue("365d") Duration maxLifetime,
		@NotNull @DefaultValue("1m") Duration lastUsedInterval, @NotNull @DefaultValue("30d") Duration keepExpiredFor,
		@Positive @DefaultValue("100") int maxPerUser) {

}
