package io.latchkey.authorization.autoconfigure;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Public reports of leaked tokens ({@code latchkey.leak-reports.*}):
 * {@code POST /api/credentials/revoke}, open to anyone without signing in, throttled per
 * client address, its work queued off the request thread (shared with the notices of
 * GitHub's secret-scanning reports).
 *
 * @param enabled whether anyone may report leaked tokens at
 * {@code POST /api/credentials/revoke}; off, it answers 404
 * @param requestsPerAddress reports one client address may send per window; past them,
 * 429 with {@code Retry-After}
 * @param window the window over which each address's allowance refills
 * @param queueCapacity reports that may wait to be revoked; when full, a report answers
 * 503 with {@code Retry-After} and is not kept. The notices of as many reports (public or
 * GitHub's) may wait to be sent, apart; past them, reported tokens are still revoked but
 * their owners not told
 * @since 0.1
 */
@Validated
@ConfigurationProperties("latchkey.leak-reports")
public record LatchkeyLeakReportsProperties(@DefaultValue("true") boolean enabled,
		@Positive @DefaultValue("10") int requestsPerAddress, @NotNull @DefaultValue("1m") Duration window,
		@Positive @DefaultValue("100") int queueCapacity) {

}
