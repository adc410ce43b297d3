package io.latchkey.authorization.token;

import java.time.Instant;

/**
 * An application event: a token was used from a client address outside the networks of
 * its recent ones (the /24 for IPv4, the /48 for IPv6, see
 * {@link io.latchkey.core.AddressRange#network}). {@link LastUseRecorder} publishes it
 * off the request path, once across every instance for each address the store had not
 * recorded; the notices act on it and an application may listen to it as well.
 *
 * @param token the token that was used
 * @param address the client address it was used from, in canonical form
 * @param network the address's network ({@code 203.0.113.0/24})
 * @param at when it was used
 * @param first whether it was the token's first use from any known address (nothing to
 * compare with: recorded, but nobody is alarmed)
 * @since 0.1
 */
public record TokenUsedFromNewAddress(PersonalAccessToken token, String address, String network, Instant at,
		boolean first) {
}
