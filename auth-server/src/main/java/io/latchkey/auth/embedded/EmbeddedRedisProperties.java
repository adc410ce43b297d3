package io.latchkey.auth.embedded;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The reference deployment's embedded Redis ({@code latchkey.redis.embedded.*}): a real
 * redis-server started when no external Redis is configured. It requires a password
 * (generated and kept in the data folder unless configured), and has a second, restricted
 * user for resource services: it may only subscribe to the events channel and use keys
 * under its own prefix. If it exits while the application runs, it is started again
 * ({@code restart}).
 *
 * @param enabled whether the embedded Redis starts when no external one is configured
 * @param port its port, bound to 127.0.0.1
 * @param dataDir its AOF and RDB files, its ACL file and generated passwords
 * @param password the password it requires; generated when unset, kept in
 * {@code <data-dir>/password}
 * @param subscriber its restricted user for resource services
 * @param restart how it is started again when it exits
 */
@Validated
@ConfigurationProperties("latchkey.redis.embedded")
public record EmbeddedRedisProperties(@DefaultValue("true") boolean enabled, @DefaultValue("6379") int port,
		@NotNull @DefaultValue("data/redis") Path dataDir, @Nullable String password,
		@Valid @DefaultValue Subscriber subscriber, @Valid @DefaultValue Restart restart) {

	/**
	 * The embedded Redis's user for resource services.
	 *
	 * @param username its username
	 * @param password its password; generated when unset, kept in
	 * {@code <data-dir>/resource-api.password}
	 * @param keyPrefix the only keys it may use
	 */
	public record Subscriber(@NotBlank @DefaultValue("resource-api") String username, @Nullable String password,
			@NotBlank @DefaultValue("rapi") String keyPrefix) {
	}

	/**
	 * How the embedded Redis is started again, on the same port and from the same data
	 * folder, when it exits while the application runs.
	 *
	 * @param initialInterval the wait between its exit and the first try to start it
	 * again
	 * @param multiplier how much longer each further wait is, while tries fail or the
	 * restarted server exits again within max-interval
	 * @param maxInterval the longest wait between two tries; once a server has run this
	 * long, the waits start over from initial-interval
	 */
	public record Restart(@NotNull @DefaultValue("100ms") Duration initialInterval,
			@DecimalMin("1.0") @DefaultValue("2") double multiplier,
			@NotNull @DefaultValue("10s") Duration maxInterval) {
	}

}
