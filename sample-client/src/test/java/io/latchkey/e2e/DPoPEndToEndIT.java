package io.latchkey.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.latchkey.client.SampleClient;
import io.latchkey.testsupport.DPoPProofs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static io.latchkey.e2e.Api.basic;
import static io.latchkey.e2e.Api.bearer;
import static io.latchkey.e2e.Api.client;
import static io.latchkey.e2e.Api.dpop;
import static io.latchkey.e2e.Api.postForm;
import static io.latchkey.e2e.Api.send;
import static io.latchkey.e2e.Api.sendWithHeaders;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens bound to a key (RFC 9449 DPoP), end to end over real HTTP: the sample client
 * makes a key ({@code keygen}), the token is generated with its thumbprint, and then the
 * token alone is worth nothing. A stolen bound token sent as a plain bearer token gets
 * 401 with a {@code DPoP} challenge; the sample client with {@code --dpop-key} gets its
 * answers; a replayed proof, a proof for another URL and a proof of another key are
 * refused. Exchanging the bound token for a JWT needs a proof of its key and gives a JWT
 * bound to that key. The proofs these tests make themselves are built with the Nimbus
 * SDK, independently of the sample client's code: only its key file is shared.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DPoPEndToEndIT {

	private static final String USER_PASSWORD = "dpop-password";

	private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

	private static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

	private Stack stack;

	private String admin;

	private Path keyFile;

	/** The key the sample client wrote, read back by the Nimbus SDK. */
	private DPoPProofs key;

	private String thumbprint;

	@BeforeAll
	void start(@TempDir Path dir) throws Exception {
		this.stack = Stack.start("dpop");
		this.admin = basic("admin", Stack.ADMIN_PASSWORD);
		this.keyFile = dir.resolve("dpop-key.json");
		Api.ClientRun keygen = client(Map.of(), "keygen", this.keyFile.toString());
		assertThat(keygen.exitCode()).as(keygen.err()).isEqualTo(SampleClient.OK);
		this.thumbprint = keygen.out().strip();
		this.key = DPoPProofs.of(Files.readString(this.keyFile));
		assertThat(this.thumbprint).as("keygen prints the RFC 7638 thumbprint of the key it wrote")
			.isEqualTo(this.key.thumbprint());
	}

	@AfterAll
	void stop() {
		try {
			this.stack.assertNoTokensInLogs();
		}
		finally {
			this.stack.close();
		}
	}

	@Test
	void boundTokenWhenPresentedAloneThen401WithADPoPChallenge() {
		String token = boundToken(newUser()).get("token");

		Api.Response asBearer = send("GET", whoamiUrl(), bearer(token), null);
		assertThat(asBearer.status()).isEqualTo(401);
		assertThat(asBearer.header("WWW-Authenticate")).startsWith("DPoP").contains("error=\"invalid_token\"");
		assertThat(asBearer.raw().body()).doesNotContain("username");

		Api.Response withoutProof = send("GET", whoamiUrl(), dpop(token), null);
		assertThat(withoutProof.status()).isEqualTo(401);
		assertThat(withoutProof.header("WWW-Authenticate")).startsWith("DPoP")
			.contains("error=\"invalid_request\"")
			.doesNotContain("not active");

		Api.ClientRun run = client(env(token), "whoami");
		assertThat(run.exitCode()).isEqualTo(SampleClient.UNAUTHORIZED);
		assertThat(run.err()).contains("--dpop-key").doesNotContain(token);
	}

	@Test
	void boundTokenWhenTheSampleClientSignsWithItsKeyThenAnswered() {
		String user = newUser();
		String token = boundToken(user).get("token");
		Api.ClientRun whoami = client(env(token), "--dpop-key", this.keyFile.toString(), "whoami");
		assertThat(whoami.exitCode()).as(whoami.err()).isEqualTo(SampleClient.OK);
		assertThat(whoami.out().strip()).isEqualTo(user + " (scopes: projects.read)");
		Api.ClientRun again = client(env(token), "--dpop-key", this.keyFile.toString(), "projects", "list");
		assertThat(again.exitCode()).as("a fresh proof for every request").isEqualTo(SampleClient.OK);
	}

	@Test
	void proofWhenReplayedThen401() throws Exception {
		String token = boundToken(newUser()).get("token");
		String proof = this.key.proof("GET", whoamiUrl(), token);

		Api.Response first = withProof(whoamiUrl(), token, proof);
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.json().get("scopes").toString()).contains("projects.read");

		Api.Response replayed = withProof(whoamiUrl(), token, proof);
		assertThat(replayed.status()).isEqualTo(401);
		assertThat(replayed.header("WWW-Authenticate")).startsWith("DPoP").contains("error=\"invalid_dpop_proof\"");
		assertThat(withProof(whoamiUrl(), token, this.key.proof("GET", whoamiUrl(), token)).status())
			.as("a fresh proof of the same key")
			.isEqualTo(200);
	}

	@Test
	void proofWhenMadeForAnotherUrlOrMethodThen401() throws Exception {
		String token = boundToken(newUser()).get("token");
		String forProjects = this.key.proof("GET", this.stack.resourceApi.url("/api/projects"), token);
		Api.Response otherUrl = withProof(whoamiUrl(), token, forProjects);
		assertThat(otherUrl.status()).isEqualTo(401);
		assertThat(otherUrl.header("WWW-Authenticate")).startsWith("DPoP").contains("error=\"invalid_dpop_proof\"");

		Api.Response otherMethod = withProof(whoamiUrl(), token, this.key.proof("POST", whoamiUrl(), token));
		assertThat(otherMethod.status()).isEqualTo(401);
		assertThat(otherMethod.header("WWW-Authenticate")).contains("error=\"invalid_dpop_proof\"");
		assertThat(withProof(this.stack.resourceApi.url("/api/projects"), token, forProjects).status())
			.as("where it was meant for")
			.isEqualTo(200);
	}

	@Test
	void proofWhenSignedByAnotherKeyOrForAnotherTokenThen401() throws Exception {
		String token = boundToken(newUser()).get("token");
		DPoPProofs thief = DPoPProofs.newKey();
		Api.Response otherKey = withProof(whoamiUrl(), token, thief.proof("GET", whoamiUrl(), token));
		assertThat(otherKey.status()).isEqualTo(401);
		assertThat(otherKey.header("WWW-Authenticate")).startsWith("DPoP").contains("error=\"invalid_token\"");

		String other = boundToken(newUser()).get("token");
		Api.Response otherToken = withProof(whoamiUrl(), token, this.key.proof("GET", whoamiUrl(), other));
		assertThat(otherToken.status()).as("ath names another token").isEqualTo(401);
		assertThat(otherToken.header("WWW-Authenticate")).contains("error=\"invalid_dpop_proof\"");
	}

	@Test
	void exchangeOfABoundTokenWhenWithAProofOfItsKeyThenTheJwtIsBoundToThatKey() throws Exception {
		String user = newUser();
		Map<String, String> pat = boundToken(user);
		String tokenEndpoint = this.stack.authServer.url("/oauth2/token");

		Api.Response exchanged = exchange(pat.get("token"), this.key.proof("POST", tokenEndpoint, null));
		assertThat(exchanged.status()).isEqualTo(200);
		assertThat(exchanged.json().get("token_type").asString()).isEqualTo("DPoP");
		assertThat(exchanged.header("Cache-Control")).contains("no-store");

		SignedJWT jwt = SignedJWT.parse(exchanged.json().get("access_token").asString());
		JWKSet keys = JWKSet.parse(send("GET", this.stack.authServer.url("/oauth2/jwks"), null, null).raw().body());
		JWK signer = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
		assertThat(signer).as("signed with a key of /oauth2/jwks").isNotNull();
		assertThat(jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(),
				((AsymmetricJWK) signer).toPublicKey())))
			.isTrue();
		JWTClaimsSet claims = jwt.getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo(user);
		assertThat(claims.getJSONObjectClaim("cnf")).containsEntry("jkt", this.thumbprint);
		assertThat(claims.getAudience()).containsExactly("resource-api");
		assertThat(claims.getStringClaim("pat_id")).isEqualTo(pat.get("id"));
	}

	@Test
	void exchangeOfABoundTokenWhenWithoutAProofOrWithAnotherKeysThenRefused() throws Exception {
		String token = boundToken(newUser()).get("token");
		String tokenEndpoint = this.stack.authServer.url("/oauth2/token");

		Api.Response withoutProof = exchange(token, null);
		assertThat(withoutProof.status()).isEqualTo(400);
		assertThat(withoutProof.json().get("error").asString()).isIn("invalid_grant", "invalid_dpop_proof");
		assertThat(withoutProof.json().has("access_token")).isFalse();

		DPoPProofs thief = DPoPProofs.newKey();
		Api.Response otherKey = exchange(token, thief.proof("POST", tokenEndpoint, null));
		assertThat(otherKey.status()).isEqualTo(400);
		assertThat(otherKey.json().get("error").asString()).isIn("invalid_grant", "invalid_dpop_proof");
		assertThat(otherKey.raw().body()).doesNotContain(token);
	}

	private Api.Response withProof(String url, String token, String proof) {
		return sendWithHeaders("GET", url, Map.of("Authorization", dpop(token), "DPoP", proof), null);
	}

	/**
	 * RFC 8693 at the auth server's token endpoint, as the resource API (allowed to
	 * exchange in the reference configuration).
	 */
	private Api.Response exchange(String token, String proof) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Authorization", basic("resource-api", Stack.CLIENT_SECRET));
		if (proof != null) {
			headers.put("DPoP", proof);
		}
		return postForm(this.stack.authServer.url("/oauth2/token"), headers,
				Map.of("grant_type", TOKEN_EXCHANGE, "subject_token", token, "subject_token_type", ACCESS_TOKEN_TYPE));
	}

	private String whoamiUrl() {
		return this.stack.resourceApi.url("/api/whoami");
	}

	private Map<String, String> env(String token) {
		return Map.of("LATCHKEY_TOKEN", token, "LATCHKEY_API_URL", this.stack.resourceApi.url(""));
	}

	private String newUser() {
		String group = "dpop-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(send("POST", this.stack.authServer.url("/api/groups"), this.admin,
				Map.of("name", group, "rights", List.of("projects.read")))
			.status()).isEqualTo(201);
		String name = "dpop-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(send("POST", this.stack.authServer.url("/api/users"), this.admin,
				Map.of("username", name, "password", USER_PASSWORD, "groups", List.of(group)))
			.status()).isEqualTo(201);
		return name;
	}

	/**
	 * A token for {@code user} bound to the sample client's key: its {@code id} and
	 * {@code token}.
	 */
	private Map<String, String> boundToken(String user) {
		Api.Response created = send("POST", this.stack.authServer.url("/api/users/" + user + "/tokens"), this.admin,
				Map.of("description", "e2e dpop", "jkt", this.thumbprint));
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.json().get("jkt").asString()).isEqualTo(this.thumbprint);
		return Map.of("id", created.json().get("id").asString(), "token", created.json().get("token").asString());
	}

}
