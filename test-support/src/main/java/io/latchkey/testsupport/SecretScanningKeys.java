package io.latchkey.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Signing keys as GitHub secret scanning uses them, made by the test itself: ECDSA on
 * P-256, the public key as PEM, signatures over the body's bytes with SHA-256, DER,
 * base64.
 */
public final class SecretScanningKeys {

	private SecretScanningKeys() {
	}

	/** A new P-256 key pair. */
	public static KeyPair generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The public key as GitHub publishes it: PEM, lines of 64, ending in a newline. */
	public static String pem(PublicKey key) {
		return "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
				+ "\n-----END PUBLIC KEY-----\n";
	}

	/** GitHub's signature of the body's UTF-8 bytes. */
	public static String sign(PrivateKey key, String body) {
		return sign(key, body.getBytes(StandardCharsets.UTF_8));
	}

	/** GitHub's signature: ECDSA P-256 SHA-256 over the body's bytes, DER, base64. */
	public static String sign(PrivateKey key, byte[] body) {
		try {
			Signature signer = Signature.getInstance("SHA256withECDSA");
			signer.initSign(key);
			signer.update(body);
			return Base64.getEncoder().encodeToString(signer.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
