package io.latchkey.authorization.token;

import org.jspecify.annotations.Nullable;

/**
 * An application event: a token that was rotated away was presented after its overlap (at
 * most once a minute per token on each instance). {@link TokenVerifier} publishes it;
 * {@link TokenRevocation} records it and, with {@code rotated-reuse: revoke-family},
 * revokes the token's whole rotation chain. An application may listen to it as well.
 *
 * @param token the rotated token that was presented
 * @param from the client address it was presented from, if known
 * @since 0.1
 */
public record TokenReuseDetected(PersonalAccessToken token, @Nullable String from) {
}
