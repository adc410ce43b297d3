package io.latchkey.resource.autoconfigure;

import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may read {@code /actuator/prometheus} ({@code latchkey.metrics.*}), the same
 * properties in both Latchkey libraries: a scrape user signing in with HTTP Basic. Until
 * a password is set, nobody may (the application's own rules answer).
 *
 * @param scrapeUsername the scrape user's name
 * @param scrapePassword its password, a long random secret (compared in constant time,
 * never hashed slowly); unset, there is no scrape user
 * @since 0.1
 */
@Validated
@ConfigurationProperties("latchkey.metrics")
public record LatchkeyMetricsProperties(@NotBlank @DefaultValue("prometheus") String scrapeUsername,
		@Nullable String scrapePassword) {

}
