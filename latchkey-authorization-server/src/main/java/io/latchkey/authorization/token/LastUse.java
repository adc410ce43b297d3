package io.latchkey.authorization.token;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A use of the token with this digest: when, from where as "last used from" shows it, and
 * the integration's client address when known (the address a resource service reported,
 * or the caller's own).
 *
 * @param digest the token's SHA-256
 * @param at when it was used
 * @param from where it was used from, as "last used from" shows it
 * @param address the integration's client address, if known
 * @since 0.1
 */
public record LastUse(String digest, Instant at, @Nullable String from, @Nullable String address) {
}
