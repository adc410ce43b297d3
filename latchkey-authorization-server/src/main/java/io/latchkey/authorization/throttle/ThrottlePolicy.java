package io.latchkey.authorization.throttle;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Failed password checks and client authentications allowed per window
 * ({@code latchkey.throttle.*}); past them, attempts get 429 before any password hashing.
 * Wrong passwords count per username and address
 * ({@code failures-per-username-and-address}), per username across all addresses, at a
 * much higher limit ({@code failures-per-username}), and per address
 * ({@code failures-per-address}); wrong client secrets per client and address
 * ({@code failures-per-client-and-address}) and per address. So guessing at one address
 * locks out nobody at another, until a username is guessed at from many.
 *
 * @param enabled whether guessing is throttled at all
 * @param failuresPerUsername wrong passwords for one username from all addresses together
 * @param failuresPerUsernameAndAddress wrong passwords for one username from one address
 * @param failuresPerAddress failed attempts of any kind from one address
 * @param failuresPerClientAndAddress wrong secrets for one client from one address
 * @param window the window over which each allowance refills
 * @since 0.1
 */
public record ThrottlePolicy(@DefaultValue("true") boolean enabled,
		@Positive @DefaultValue("10") int failuresPerUsernameAndAddress,
		@Positive @DefaultValue("100") int failuresPerUsername, @Positive @DefaultValue("50") int failuresPerAddress,
		@Positive @DefaultValue("10") int failuresPerClientAndAddress, @NotNull @DefaultValue("5m") Duration window) {

}
