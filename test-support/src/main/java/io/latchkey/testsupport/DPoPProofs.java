package io.latchkey.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * A key and the RFC 9449 proofs it signs, built with the Nimbus SDK (a library nobody
 * here wrote): {@code typ} {@code dpop+jwt}, the public key as {@code jwk}, {@code htm},
 * {@code htu}, {@code iat}, a fresh {@code jti}, and {@code ath} when a token goes with
 * it.
 */
public final class DPoPProofs {

	private final ECKey key;

	private DPoPProofs(ECKey key) {
		this.key = key;
	}

	/** A new EC P-256 key. */
	public static DPoPProofs newKey() {
		try {
			return new DPoPProofs(new ECKeyGenerator(Curve.P_256).generate());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The key of a private JWK, as a key file holds it.
	 * @param privateJwk an EC private key as a JWK
	 * @return its proofs
	 */
	public static DPoPProofs of(String privateJwk) {
		try {
			ECKey key = ECKey.parse(privateJwk);
			if (!key.isPrivate()) {
				throw new IllegalArgumentException("not a private key");
			}
			return new DPoPProofs(key);
		}
		catch (java.text.ParseException ex) {
			throw new IllegalArgumentException("not an EC JWK", ex);
		}
	}

	/** The RFC 7638 SHA-256 thumbprint of the public key: a token's {@code jkt}. */
	public String thumbprint() {
		try {
			return this.key.computeThumbprint().toString();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The public key as a JWK, as the portal takes it pasted. */
	public String publicJwk() {
		return this.key.toPublicJWK().toJSONString();
	}

	/** The private key as a JWK. */
	public String privateJwk() {
		return this.key.toJSONString();
	}

	/**
	 * A proof of this key for one request.
	 * @param method the request's method
	 * @param uri the request's URL, without query or fragment
	 * @param accessToken the token sent with it ({@code null}: none, as at a token
	 * endpoint)
	 * @return the proof, for the {@code DPoP} header
	 */
	public String proof(String method, String uri, String accessToken) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("htm", method)
			.claim("htu", uri)
			.issueTime(new Date())
			.jwtID(UUID.randomUUID().toString());
		if (accessToken != null) {
			claims.claim("ath", ath(accessToken));
		}
		SignedJWT proof = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
			.jwk(this.key.toPublicJWK())
			.build(), claims.build());
		try {
			proof.sign(new ECDSASigner(this.key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return proof.serialize();
	}

	private static String ath(String accessToken) {
		try {
			return Base64URL
				.encode(MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII)))
				.toString();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
