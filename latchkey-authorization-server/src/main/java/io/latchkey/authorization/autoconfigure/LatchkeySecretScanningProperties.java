package io.latchkey.authorization.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Secret scanning partners that report leaked tokens
 * ({@code latchkey.secret-scanning.*}).
 *
 * @param github GitHub's secret scanning partner program
 * @since 0.1
 */
@Validated
@ConfigurationProperties("latchkey.secret-scanning")
public record LatchkeySecretScanningProperties(@Valid @DefaultValue GitHub github) {

	/**
	 * GitHub's secret scanning partner program: {@code POST /api/secret-scanning/github},
	 * on (otherwise 404) once {@code keys} or {@code keys-url} is set. Reports are
	 * verified against GitHub's ECDSA P-256 public keys.
	 *
	 * @param keys GitHub's signing keys, key identifier to PEM public key
	 * ({@code -----BEGIN PUBLIC KEY-----…}); the identifiers are those GitHub sends in
	 * {@code Github-Public-Key-Identifier}
	 * @param keysUrl where GitHub's signing keys are fetched from, in the format of
	 * GitHub's meta endpoint
	 * ({@code https://api.github.com/meta/public_keys/secret_scanning})
	 * @param keysRefreshEvery how long fetched keys are used before they are fetched
	 * again
	 * @param keysRefetchAfter the least time between two fetches, also when a report
	 * names a key identifier not known yet
	 * @param tokenType the token type registered with GitHub, answered in
	 * {@code token_type} when a report names none
	 * @param maxBodySize the largest report body (in place of
	 * {@code latchkey.http.max-body-size}, when larger): a report holds up to 1,000
	 * tokens, about 150 bytes each; larger ones get 413 before their signature is checked
	 */
	public record GitHub(@NotNull @DefaultValue Map<String, String> keys, @Nullable URI keysUrl,
			@NotNull @DefaultValue("24h") Duration keysRefreshEvery,
			@NotNull @DefaultValue("1m") Duration keysRefetchAfter,
			@NotBlank @DefaultValue("latchkey_pat") String tokenType,
			@NotNull @DefaultValue("1MB") DataSize maxBodySize) {
	}

}
