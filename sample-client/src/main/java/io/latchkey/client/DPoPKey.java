package io.latchkey.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * A key that binds a token to its holder (RFC 9449 DPoP): kept as a private JWK in a file
 * readable by its owner only, it signs a fresh proof for every request. The token's
 * {@code jkt} is the {@link #thumbprint() RFC 7638 thumbprint} of its public half.
 * <p>
 * EC P-256 keys sign with ES256, RSA keys (2048 bits or more) with RS256.
 */
public final class DPoPKey {

	private static final JOSEObjectType DPOP_JWT = new JOSEObjectType("dpop+jwt");

	private final JWK jwk;

	private final JWSAlgorithm algorithm;

	private final JWSSigner signer;

	private DPoPKey(JWK jwk, JWSAlgorithm algorithm, JWSSigner signer) {
		this.jwk = jwk;
		this.algorithm = algorithm;
		this.signer = signer;
	}

	/**
	 * Generate a new EC P-256 key.
	 * @return the key
	 */
	public static DPoPKey generate() {
		try {
			ECKey key = new ECKeyGenerator(Curve.P_256).generate();
			return new DPoPKey(key, JWSAlgorithm.ES256, new ECDSASigner(key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot generate an EC P-256 key", ex);
		}
	}

	/**
	 * Read a private JWK file, such as one written by {@link #write(Path)}.
	 * @param file the JWK file
	 * @return the key
	 * @throws InvalidKeyFileException if the file cannot be read or holds no usable
	 * private EC P-256 or RSA JWK; its message names the file and the cause
	 */
	public static DPoPKey read(Path file) throws InvalidKeyFileException {
		String json;
		try {
			json = Files.readString(file);
		}
		catch (IOException ex) {
			throw new InvalidKeyFileException("cannot read the DPoP key file " + file);
		}
		try {
			return of(JWK.parse(json), file);
		}
		catch (ParseException ex) {
			throw new InvalidKeyFileException("the DPoP key file " + file + " does not hold a JWK (JSON Web Key)");
		}
	}

	/**
	 * The RFC 7638 SHA-256 thumbprint of the public key in a JWK file: the {@code jkt} of
	 * the tokens bound to it.
	 * @param file the JWK file
	 * @return the base64url thumbprint
	 * @throws InvalidKeyFileException as {@link #read(Path)}
	 */
	public static String thumbprintOf(Path file) throws InvalidKeyFileException {
		return read(file).thumbprint();
	}

	private static DPoPKey of(JWK jwk, Path file) throws InvalidKeyFileException {
		if (!jwk.isPrivate()) {
			throw new InvalidKeyFileException("the DPoP key file " + file
					+ " holds a public key only; pass the private JWK file written by keygen");
		}
		try {
			if (jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
				return new DPoPKey(jwk, JWSAlgorithm.ES256, new ECDSASigner(ec));
			}
			if (jwk instanceof RSAKey rsa) {
				return new DPoPKey(jwk, JWSAlgorithm.RS256, new RSASSASigner(rsa));
			}
		}
		catch (JOSEException | IllegalArgumentException ex) {
			throw new InvalidKeyFileException("the key in " + file + " cannot sign: " + ex.getMessage());
		}
		throw new InvalidKeyFileException("the DPoP key file " + file + " holds a key of type " + describe(jwk)
				+ "; use an EC P-256 or RSA key (keygen writes one)");
	}

	private static String describe(JWK jwk) {
		return (jwk instanceof ECKey ec) ? "EC " + ec.getCurve() : jwk.getKeyType().getValue();
	}

	/**
	 * The RFC 7638 SHA-256 thumbprint of the public key: the {@code jkt} of the tokens
	 * bound to this key.
	 * @return the base64url thumbprint
	 */
	public String thumbprint() {
		try {
			return this.jwk.toPublicJWK().computeThumbprint().toString();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot compute the JWK thumbprint", ex);
		}
	}

	/**
	 * Write the key, private part included, as a JWK to a new file readable and writable
	 * by its owner only (POSIX permissions {@code rw-------}, else an ACL for the owner
	 * alone where the file system has ACLs).
	 * @param file the file, which must not exist
	 * @throws java.nio.file.FileAlreadyExistsException if the file exists
	 * @throws IOException if the file cannot be written
	 */
	public void write(Path file) throws IOException {
		byte[] json = this.jwk.toJSONString().getBytes(StandardCharsets.UTF_8);
		boolean posix = file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
		OutputStream stream = Channels.newOutputStream(Files.newByteChannel(file,
				EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly(posix)));
		try (stream) {
			if (!posix) {
				restrictAclToOwner(file);
			}
			stream.write(json);
		}
		catch (IOException ex) {
			Files.deleteIfExists(file);
			throw ex;
		}
	}

	private static FileAttribute<?>[] ownerOnly(boolean posix) {
		return posix
				? new FileAttribute<?>[] {
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")) }
				: new FileAttribute<?>[0];
	}

	private static void restrictAclToOwner(Path file) throws IOException {
		AclFileAttributeView acl = Files.getFileAttributeView(file, AclFileAttributeView.class);
		if (acl != null) {
			acl.setAcl(List.of(AclEntry.newBuilder()
				.setType(AclEntryType.ALLOW)
				.setPrincipal(acl.getOwner())
				.setPermissions(AclEntryPermission.values())
				.build()));
		}
	}

	/**
	 * A fresh DPoP proof for one request, bound to the access token.
	 * @param method the HTTP method
	 * @param url the request URL; its query and fragment are left out of {@code htu}
	 * @param token the access token the request sends, hashed into {@code ath}
	 * @return the signed proof JWT
	 * @throws JOSEException if the key cannot sign
	 */
	public String proof(String method, URI url, String token) throws JOSEException {
		JWSHeader header = new JWSHeader.Builder(this.algorithm).type(DPOP_JWT).jwk(this.jwk.toPublicJWK()).build();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
			.claim("htm", method)
			.claim("htu", htu(url))
			.issueTime(Date.from(Instant.now()))
			.claim("ath", ath(token))
			.build();
		SignedJWT proof = new SignedJWT(header, claims);
		proof.sign(this.signer);
		return proof.serialize();
	}

	/**
	 * The {@code htu} claim of a request URL: the URL without its query and fragment.
	 * @param url the request URL
	 * @return the {@code htu} value
	 */
	public static String htu(URI url) {
		return url.toString().split("[?#]", 2)[0];
	}

	/**
	 * The {@code ath} claim of an access token: the base64url SHA-256 of its ASCII value.
	 * @param token the access token
	 * @return the {@code ath} value
	 */
	public static String ath(String token) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	@Override
	public String toString() {
		return "DPoPKey[" + this.algorithm + ", jkt=" + thumbprint() + "]";
	}

	/**
	 * A DPoP key file that cannot be read or holds no usable private key.
	 */
	public static final class InvalidKeyFileException extends Exception {

		InvalidKeyFileException(String message) {
			super(message);
		}

	}

}
