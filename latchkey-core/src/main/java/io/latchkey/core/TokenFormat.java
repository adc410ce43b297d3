package io.latchkey.core;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * The personal access token format: {@code <prefix>_<30 base62 random><6 base62 CRC32>}.
 * About 178 random bits; the checksum lets us reject look-alikes before asking Redis and
 * lets secret scanners recognise real tokens. The checksum is a filter, never a proof.
 */
public final class TokenFormat {

	public static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

	static final int RANDOM_LENGTH = 30;

	static final int CHECKSUM_LENGTH = 6;

	private final String prefix;

	private final SecureRandom random;

	public TokenFormat(String prefix) {
		this(prefix, new SecureRandom());
	}

	TokenFormat(String prefix, SecureRandom random) {
		if (prefix == null || prefix.isBlank()) {
			throw new IllegalArgumentException("prefix cannot be empty");
		}
		if (prefix.indexOf('_') >= 0) {
			throw new IllegalArgumentException("prefix cannot contain '_'");
		}
		this.prefix = prefix;
		this.random = random;
	}

	public String prefix() {
		return this.prefix;
	}

	/** A new token string. */
	public String generate() {
		String body = randomBase62(this.random, RANDOM_LENGTH);
		return this.prefix + "_" + body + checksum(body);
	}

	/**
	 * Whether the string has this deployment's prefix, i.e. whether it is ours to answer
	 * for.
	 */
	public boolean hasPrefix(String token) {
		return token != null && token.startsWith(this.prefix + "_");
	}

	/** Whether the string is a token of this format with a valid checksum. */
	public boolean isWellFormed(String token) {
		if (!hasPrefix(token) || token.length() != this.prefix.length() + 1 + RANDOM_LENGTH + CHECKSUM_LENGTH) {
			return false;
		}
		int start = this.prefix.length() + 1;
		for (int i = start; i < token.length(); i++) {
			if (ALPHABET.indexOf(token.charAt(i)) < 0) {
				return false;
			}
		}
		int checksumStart = start + RANDOM_LENGTH;
		return checksum(token.substring(start, checksumStart)).equals(token.substring(checksumStart));
	}

	/**
	 * The part of a token that lists may show: the prefix and the last four characters.
	 */
	public String hint(String token) {
		return this.prefix + "_…" + token.substring(token.length() - 4);
	}

	static String checksum(String randomPart) {
		CRC32 crc = new CRC32();
		crc.update(randomPart.getBytes(StandardCharsets.US_ASCII));
		return base62(crc.getValue(), CHECKSUM_LENGTH);
	}

	static String base62(long value, int width) {
		char[] out = new char[width];
		for (int i = width - 1; i >= 0; i--) {
			out[i] = ALPHABET.charAt((int) (value % 62));
			value /= 62;
		}
		return new String(out);
	}

	/** {@code length} characters drawn uniformly from the base62 alphabet. */
	public static String randomBase62(SecureRandom random, int length) {
		StringBuilder out = new StringBuilder(length + CHECKSUM_LENGTH);
		for (int i = 0; i < length; i++) {
			out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return out.toString();
	}

}
