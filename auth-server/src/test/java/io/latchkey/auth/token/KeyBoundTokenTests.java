package io.latchkey.auth.token;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.testsupport.DPoPProofs;
import io.latchkey.auth.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens bound to a key (RFC 9449): generated with the key's RFC 7638 thumbprint
 * ({@code jkt}), introspected with {@code cnf.jkt}, and usable at the management API, for
 * self-rotation and for token exchange only with a DPoP proof of that key. The proofs are
 * built by the Nimbus SDK.
 */
class KeyBoundTokenTests extends AuthServerTestBase {

	private static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";

	private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

	private final DPoPProofs key = DPoPProofs.newKey();

	@Test
	void generateWhenJktIsNotAThumbprintThen400NamingTheFieldAndNothingStored() {
		String user = newUser();
		for (String jkt : List.of("not-a-thumbprint", "x".repeat(44), this.key.thumbprint() + "=")) {
			Http.Response response = asAdmin(Http.post(url("/api/users/" + user + "/tokens")).json(Map.of("jkt", jkt)));
			TokenApiTests.assertBadField(response, "jkt");
		}
		assertThat(asAdmin(Http.get(url("/api/users/" + user + "/tokens"))).json().values()).isEmpty();
	}

	@Test
	void introspectWhenBoundThenConfirmationThumbprintAndTokenTypeDPoP() {
		String user = newUser();
		JsonNode created = generateToken(user, Map.of("jkt", this.key.thumbprint()));
		assertThat(created.get("jkt").asString()).isEqualTo(this.key.thumbprint());
		JsonNode answer = introspect(created.get("token").asString()).json();
		assertThat(answer.get("active").asBoolean()).isTrue();
		assertThat(answer.get("cnf").get("jkt").asString()).isEqualTo(this.key.thumbprint());
		assertThat(answer.get("token_type").asString()).isEqualTo("DPoP");
	}

	@Test
	void managementApiWhenBoundTokenPresentedAsBearerThen401WithDPoPChallenge() {
		String token = boundToken();
		Http.Response response = Http.get(url("/api/me")).bearer(token).send();
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("DPoP").contains("error=\"invalid_token\"");
		assertThat(response.body()).doesNotContain(token);
	}

	@Test
	void managementApiWhenProofOfItsKeyThenServedAndTheSameProofNeverTwice() {
		String token = boundToken();
		String proof = this.key.proof("GET", url("/api/me"), token);
		assertThat(dpop("GET", "/api/me", token, proof).status()).isEqualTo(200);
		Http.Response replayed = dpop("GET", "/api/me", token, proof);
		assertThat(replayed.status()).isEqualTo(401);
		assertThat(replayed.header("WWW-Authenticate")).startsWith("DPoP");
	}

	@Test
	void managementApiWhenProofForAnotherUrlOrMethodOrFromAnotherKeyThen401() {
		String token = boundToken();
		assertThat(dpop("GET", "/api/me", token, this.key.proof("GET", url("/api/me/tokens"), token)).status())
			.isEqualTo(401);
		assertThat(dpop("GET", "/api/me", token, this.key.proof("POST", url("/api/me"), token)).status())
			.isEqualTo(401);
		assertThat(dpop("GET", "/api/me", token, DPoPProofs.newKey().proof("GET", url("/api/me"), token)).status())
			.isEqualTo(401);
		assertThat(dpop("GET", "/api/me", token, this.key.proof("GET", url("/api/me"), "lkp_other")).status())
			.as("ath of another token")
			.isEqualTo(401);
	}

	@Test
	void selfRotationWhenBoundThenOnlyWithAProofAndTheSuccessorIsBoundToo() {
		String token = boundToken();
		assertThat(Http.post(url("/api/tokens/self/rotate")).bearer(token).send().status()).isEqualTo(401);
		Http.Response rotated = Http.post(url("/api/tokens/self/rotate"))
			.header("Authorization", "DPoP " + token)
			.header("DPoP", this.key.proof("POST", url("/api/tokens/self/rotate"), token))
			.send();
		assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
		assertThat(rotated.json().get("jkt").asString()).isEqualTo(this.key.thumbprint());
	}

	@Test
	void exchangeWhenBoundPatWithoutAProofThenRefusedAndWithOneThenAJwtBoundToTheKey() {
		String user = newUser(newGroup("projects.read"));
		String pat = generateToken(user, Map.of("jkt", this.key.thumbprint())).get("token").asString();
		Http.Response withoutProof = exchange(pat, null);
		assertThat(withoutProof.status()).isEqualTo(400);
		assertThat(withoutProof.json().get("error").asString()).isEqualTo("invalid_grant");

		Http.Response otherKey = exchange(pat, DPoPProofs.newKey().proof("POST", url("/oauth2/token"), null));
		assertThat(otherKey.status()).isEqualTo(400);

		Http.Response bound = exchange(pat, this.key.proof("POST", url("/oauth2/token"), null));
		assertThat(bound.status()).as(bound.body()).isEqualTo(200);
		assertThat(bound.json().get("token_type").asString()).isEqualTo("DPoP");
		Jwt jwt = NimbusJwtDecoder.withJwkSetUri(url("/oauth2/jwks"))
			.build()
			.decode(bound.json().get("access_token").asString());
		assertThat(jwt.getClaimAsMap("cnf")).containsEntry("jkt", this.key.thumbprint());
	}

	@Test
	void exchangeWhenAProofForAnotherRequestIsSmuggledAsFormParametersThenRefused() {
		String user = newUser(newGroup("projects.read"));
		String pat = generateToken(user, Map.of("jkt", this.key.thumbprint())).get("token").asString();
		String captured = this.key.proof("GET", "http://localhost:8080/api/whoami", pat);
		Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", GRANT, "subject_token", pat,
				"subject_token_type", ACCESS_TOKEN, "dpop_proof", captured, "dpop_method", "GET"));
		form.put("dpop_target_uri", "http://localhost:8080/api/whoami");
		Http.Response response = Http.post(url("/oauth2/token")).basic(CLIENT_ID, CLIENT_SECRET).form(form).send();
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("error").asString()).isEqualTo("invalid_grant");
		assertThat(response.json().has("access_token")).isFalse();
	}

	@Test
	void exchangeWhenTheProofIsForAnotherUrlOrReplayedThenInvalidDPoPProof() {
		String user = newUser(newGroup("projects.read"));
		String pat = generateToken(user, Map.of("jkt", this.key.thumbprint())).get("token").asString();
		Http.Response otherUrl = exchange(pat, this.key.proof("POST", url("/oauth2/introspect"), null));
		assertThat(otherUrl.status()).isEqualTo(400);
		assertThat(otherUrl.json().get("error").asString()).isEqualTo("invalid_dpop_proof");

		String proof = this.key.proof("POST", url("/oauth2/token"), null);
		assertThat(exchange(pat, proof).status()).isEqualTo(200);
		Http.Response replayed = exchange(pat, proof);
		assertThat(replayed.status()).isEqualTo(400);
		assertThat(replayed.json().get("error").asString()).isEqualTo("invalid_dpop_proof");
	}

	@Test
	void exchangeWhenTheProofIsSignedWithAnUnsupportedAlgorithmThen400InvalidDPoPProof() throws Exception {
		String user = newUser(newGroup("projects.read"));
		String pat = generateToken(user, Map.of("jkt", this.key.thumbprint())).get("token").asString();
		OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).generate();
		SignedJWT proof = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("dpop+jwt")).build(),
				new JWTClaimsSet.Builder().claim("htm", "POST")
					.claim("htu", url("/oauth2/token"))
					.issueTime(new java.util.Date())
					.jwtID("hs256-proof")
					.build());
		proof.sign(new MACSigner(secret));
		Http.Response response = exchange(pat, proof.serialize());
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("error").asString()).isEqualTo("invalid_dpop_proof");
	}

	@Test
	void metadataWhenReadThenAdvertisesTheDPoPProofAlgorithms() {
		JsonNode metadata = Http.get(url("/.well-known/oauth-authorization-server")).send().json();
		assertThat(metadata.get("dpop_signing_alg_values_supported").values()).extracting(JsonNode::asString)
			.contains("ES256", "RS256");
	}

	private String boundToken() {
		return generateToken(newUser(), Map.of("jkt", this.key.thumbprint())).get("token").asString();
	}

	private Http.Response dpop(String method, String path, String token, String proof) {
		Http request = method.equals("GET") ? Http.get(url(path)) : Http.post(url(path));
		return request.header("Authorization", "DPoP " + token).header("DPoP", proof).send();
	}

	private Http.Response exchange(String pat, String proof) {
		Map<String, String> form = new LinkedHashMap<>(
				Map.of("grant_type", GRANT, "subject_token", pat, "subject_token_type", ACCESS_TOKEN));
		Http request = Http.post(url("/oauth2/token")).basic(CLIENT_ID, CLIENT_SECRET).form(form);
		if (proof != null) {
			request.header("DPoP", proof);
		}
		return request.send();
	}

}
