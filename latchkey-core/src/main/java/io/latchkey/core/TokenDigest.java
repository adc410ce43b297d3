package io.latchkey.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a token string, hex encoded: the only form in which a token is stored, the
 * key of every cache of answers, and the {@code token_digest} of a revocation event. Each
 * thread keeps its own {@link MessageDigest}, since looking one up costs more than
 * hashing a token.
 */
public final class TokenDigest {

	private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	});

	private TokenDigest() {
	}

	public static String of(String token) {
		MessageDigest sha256 = SHA_256.get();
		sha256.reset();
		return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
	}

}
