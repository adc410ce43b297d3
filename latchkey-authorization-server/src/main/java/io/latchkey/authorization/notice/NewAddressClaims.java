package io.latchkey.authorization.notice;

import java.time.Duration;
import java.time.Instant;

/**
 * Which new-address notices went out lately, once across every instance: a claim per
 * token and network, never keyed by the token's value.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface NewAddressClaims {

	/**
	 * Claims the notice about a token's use from a network, unless it was claimed within
	 * {@code within} before {@code now}.
	 * @param tokenId the token's public id
	 * @param network the network ({@code 203.0.113.0/24})
	 * @param now the time
	 * @param within how long a claim holds
	 * @return whether this caller claimed it (and should send the notice)
	 */
	boolean claim(String tokenId, String network, Instant now, Duration within);

}
