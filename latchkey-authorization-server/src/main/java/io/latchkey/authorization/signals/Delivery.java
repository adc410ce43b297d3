package io.latchkey.authorization.signals;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How a stream's events reach its receiver: pushed to the receiver's URL (RFC 8935, with
 * the {@code Authorization} header it asked for), or polled at the transmitter's (RFC
 * 8936).
 *
 * @param method {@link #PUSH} or {@link #POLL}
 * @param endpointUrl the receiver's URL (push) or the transmitter's poll URL (poll)
 * @param authorizationHeader what a push sends as {@code Authorization}; never shown back
 * @since 0.1
 */
public record Delivery(String method, URI endpointUrl, @Nullable String authorizationHeader) {

	/** Push delivery, RFC 8935. */
	public static final String PUSH = "urn:ietf:rfc:8935";

	/** Poll delivery, RFC 8936. */
	public static final String POLL = "urn:ietf:rfc:8936";

	public Delivery {
		Assert.isTrue(PUSH.equals(method) || POLL.equals(method), "method must be push or poll");
		Assert.notNull(endpointUrl, "endpointUrl cannot be null");
	}

	public boolean isPush() {
		return PUSH.equals(this.method);
	}

	@Override
	public String toString() {
		return "Delivery[method=" + this.method + ", endpointUrl=" + this.endpointUrl + "]";
	}

}
