package io.latchkey.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Configured secrets (a scrape user's password, say) checked without a timing side
 * channel: their SHA-256 digests are compared in constant time, so neither where the
 * strings differ nor their lengths show in the time taken. For long random secrets, not
 * people's passwords, which deserve a slow hash.
 */
public final class Secrets {

	private Secrets() {
	}

	/** Whether {@code given} is {@code expected}, in time independent of both. */
	public static boolean same(String given, String expected) {
		return MessageDigest.isEqual(TokenDigest.of(given).getBytes(StandardCharsets.US_ASCII),
				TokenDigest.of(expected).getBytes(StandardCharsets.US_ASCII));
	}

}
