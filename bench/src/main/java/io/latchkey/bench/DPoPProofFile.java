package io.latchkey.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

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
 * DPoP proofs for the benchmark's key-bound token, made ahead of a run since a load
 * generator cannot sign each request: {@code DPoPProofFile key <key-file>} writes a new
 * EC P-256 key and prints its RFC 7638 thumbprint (the token's {@code jkt});
 * {@code DPoPProofFile proofs <key-file> <token> <method> <url> <count> <out-file>}
 * writes that many proofs for the request, one a line, each with a {@code jti} of its
 * own, so that none is a replay.
 */
public final class DPoPProofFile {

	private DPoPProofFile() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 2 && args[0].equals("key")) {
			ECKey key = new ECKeyGenerator(Curve.P_256).generate();
			Files.writeString(Path.of(args[1]), key.toJSONString());
			System.out.println(key.computeThumbprint());
			return;
		}
		if (args.length != 7 || !args[0].equals("proofs")) {
			System.err.println("usage: DPoPProofFile key <key-file> | "
					+ "proofs <key-file> <token> <method> <url> <count> <out-file>");
			System.exit(2);
		}
		ECKey key = ECKey.parse(Files.readString(Path.of(args[1])));
		String ath = ath(args[2]);
		ECDSASigner signer = new ECDSASigner(key);
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
			.jwk(key.toPublicJWK())
			.build();
		Date now = new Date();
		List<String> proofs = IntStream.range(0, Integer.parseInt(args[5]))
			.parallel()
			.mapToObj((n) -> sign(signer, header,
					new JWTClaimsSet.Builder().claim("htm", args[3])
						.claim("htu", args[4])
						.claim("ath", ath)
						.issueTime(now)
						.jwtID(UUID.randomUUID().toString())
						.build()))
			.toList();
		Files.write(Path.of(args[6]), proofs, StandardCharsets.US_ASCII);
	}

	private static String sign(ECDSASigner signer, JWSHeader header, JWTClaimsSet claims) {
		SignedJWT proof = new SignedJWT(header, claims);
		try {
			proof.sign(signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return proof.serialize();
	}

	private static String ath(String token) throws NoSuchAlgorithmException {
		return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)))
			.toString();
	}

}
