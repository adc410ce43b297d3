package io.latchkey.authorization.throttle;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Failed password checks and client authentications allowed per window
 * ({@code latchkey.throttle.*}); past them, attempts get 429 before any password hashing.
 */
public record ThrottlePolicy(@DefaultValue("true") boolean enabled,
		@Positive @DefaultValue("10") int failuresPerUsername, @Positive @DefaultValue("50") int failuresPerAddress,
		@Positive @DefaultValue("10") int failuresPerClient, @NotNull @DefaultValue("5m") Duration window) {

}
