package io.latchkey.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.latchkey.testsupport.AppProcess;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.latchkey.e2e.Api.basic;
import static io.latchkey.e2e.Api.bearer;
import static io.latchkey.e2e.Api.send;
import static io.latchkey.e2e.Api.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resource service in another language hears revocations by OpenID Shared Signals: the
 * Node.js receiver of {@code examples/ssf-receiver-node} (introspection, a cache of its
 * answers, SETs pushed to it per RFC 8935 and verified with {@code jose}) against the
 * reference auth server, which allows its client a stream and its URL a push. A token it
 * cached is refused within a second of its revocation; a SET the auth server did not sign
 * is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeSignalsReceiverIT {

	private static final String CLIENT = "node-receiver";

	private static final String CREDENTIAL_CHANGE = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

	private static final HttpClient http = HttpClient.newHttpClient();

	/** Generated for this run, handed to the auth server and the receiver. */
	private final String clientSecret = UUID.randomUUID().toString();

	/**
	 * The {@code Authorization} the auth server pushes with, as the receiver checks it.
	 */
	private final String pushSecret = UUID.randomUUID().toString();

	private AppProcess authServer;

	private NodeReceiver receiver;

	private String admin;

	@BeforeAll
	void start() {
		NodeReceiver.requireInstalled();
		String prefix = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
		int receiverPort = RealRedis.freePort();
		String client = "--spring.security.oauth2.authorizationserver.client." + CLIENT + ".registration.";
		this.authServer = new AppProcess("auth-server", jar("auth-server"), RealRedis.freePort(),
				Path.of("target", "e2e", "node-ssf-auth-server.log"),
				List.of("--spring.data.redis.url=" + RealRedis.uri(),
						"--latchkey.admin.password=" + Stack.ADMIN_PASSWORD,
						"--LATCHKEY_RESOURCE_API_SECRET={noop}" + Stack.CLIENT_SECRET,
						"--latchkey.redis.key-prefix=" + prefix,
						"--latchkey.redis.events-channel=" + prefix + ":events", client + "client-id=" + CLIENT,
						client + "client-secret={noop}" + this.clientSecret,
						client + "client-authentication-methods=client_secret_basic",
						client + "authorization-grant-types=client_credentials", client + "scopes=ssf.stream",
						"--latchkey.introspection.allowed-clients=resource-api," + CLIENT,
						"--latchkey.signals.allowed-clients=" + CLIENT,
						"--latchkey.signals.allowed-push-urls=http://localhost:" + receiverPort + "/ssf/events"));
		this.authServer.start();
		this.receiver = NodeReceiver.start(receiverPort, Path.of("target", "e2e", "node-ssf-receiver.log"),
				Map.of("LATCHKEY_URL", this.authServer.url(""), "RECEIVER_CLIENT_ID", CLIENT, "RECEIVER_CLIENT_SECRET",
						this.clientSecret, "RECEIVER_PUSH_SECRET", this.pushSecret, "STATUS_CHECK_SECONDS", "1"));
		this.admin = basic("admin", Stack.ADMIN_PASSWORD);
	}

	@AfterAll
	void stop() {
		try {
			if (this.authServer != null) {
				Stack.assertNoTokensInLog(this.authServer);
			}
			if (this.receiver != null) {
				assertThat(this.receiver.output()).as("the Node receiver's output, " + this.receiver.log())
					.noneMatch((line) -> Stack.TOKEN_SHAPE.matcher(line).find())
					.noneMatch((line) -> line.contains(this.clientSecret) || line.contains(this.pushSecret));
			}
		}
		finally {
			if (this.receiver != null) {
				this.receiver.close();
			}
			if (this.authServer != null) {
				this.authServer.close();
			}
		}
	}

	@Test
	void revokeWhenTheNodeReceiverHearsByPushThenItsCachedTokenIsRefusedWithinASecond() {
		String token = generate();
		assertThat(whoami(token)).isEqualTo(200);
		int introspections = introspections();
		assertThat(whoami(token)).isEqualTo(200);
		assertThat(introspections()).as("the answer was cached").isEqualTo(introspections);

		assertThat(send("POST", this.authServer.url("/api/tokens/revoke"), this.admin, Map.of("token", token)).status())
			.isEqualTo(204);
		long revokedAt = System.nanoTime();
		assertThat(until(Duration.ofSeconds(1), () -> whoami(token), (status) -> status == 401))
			.as("refused within a second of the revocation")
			.isEqualTo(401);
		assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(1));
	}

	@Test
	void pushWhenTheSetIsNotSignedByTheAuthServerThenTheNodeReceiverRefusesIt() throws Exception {
		String token = generate();
		assertThat(whoami(token)).isEqualTo(200);
		String forged = forgedRevocationOf(token);

		int introspections = introspections();
		assertThat(push(forged, "Bearer wrong").statusCode()).as("a push without the stream's secret").isEqualTo(401);
		assertThat(whoami(token)).isEqualTo(200);
		assertThat(introspections()).as("a push it did not authenticate changes nothing").isEqualTo(introspections);

		HttpResponse<String> refused = push(forged, "Bearer " + this.pushSecret);
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(Api.json.readTree(refused.body()).get("err").asString()).isEqualTo("invalid_key");
		assertThat(whoami(token)).as("the token was not revoked").isEqualTo(200);
		assertThat(introspections()).as("a refused SET empties the cache: the token is checked again")
			.isEqualTo(introspections + 1);
	}

	@Test
	void statusWhenTheStreamIsPausedByHandThenTheNodeReceiverEmptiesItsCacheAndEnablesItAgain() {
		String token = generate();
		assertThat(whoami(token)).isEqualTo(200);
		int introspections = introspections();
		String streams = streamsToken();
		String id = send("GET", this.authServer.url("/ssf/stream"), streams, null).json()
			.get(0)
			.get("stream_id")
			.asString();
		assertThat(
				send("POST", this.authServer.url("/ssf/status"), streams, Map.of("stream_id", id, "status", "paused"))
					.status())
			.isEqualTo(200);

		assertThat(until(Duration.ofSeconds(30),
				() -> send("GET", this.authServer.url("/ssf/status?stream_id=" + id), streamsToken(), null).json()
					.get("status")
					.asString(),
				"enabled"::equals))
			.as("the receiver enabled its stream again")
			.isEqualTo("enabled");
		assertThat(whoami(token)).isEqualTo(200);
		assertThat(introspections()).as("its cache was emptied: the token is checked again")
			.isGreaterThan(introspections);
	}

	/** The Node receiver's client's {@code ssf.stream} access token, as a header. */
	private String streamsToken() {
		Api.Response token = Api.postForm(this.authServer.url("/oauth2/token"),
				Map.of("Authorization", basic(CLIENT, this.clientSecret)),
				Map.of("grant_type", "client_credentials", "scope", "ssf.stream"));
		assertThat(token.status()).isEqualTo(200);
		return bearer(token.json().get("access_token").asString());
	}

	/**
	 * A {@code credential-change} revoking {@code token}, right in every claim and in the
	 * key id, signed with a key the auth server does not have.
	 */
	private String forgedRevocationOf(String token) throws JOSEException {
		Api.Response configuration = send("GET", this.authServer.url("/.well-known/ssf-configuration"), null, null);
		String issuer = configuration.json().get("issuer").asString();
		String keyId = send("GET", configuration.json().get("jwks_uri").asString(), null, null).json()
			.get("keys")
			.get(0)
			.get("kid")
			.asString();
		RSAKey key = new RSAKeyGenerator(2048).keyID(keyId).generate();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer)
			.audience(CLIENT)
			.jwtID(UUID.randomUUID().toString())
			.issueTime(new Date())
			.claim("sub_id", Map.of("format", "opaque", "id", sha256Hex(token)))
			.claim("events",
					Map.of(CREDENTIAL_CHANGE,
							Map.of("credential_type", "personal-access-token", "change_type", "revoke",
									"event_timestamp", System.currentTimeMillis() / 1000)))
			.build();
		SignedJWT set = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).type(new JOSEObjectType("secevent+jwt")).build(),
				claims);
		set.sign(new RSASSASigner(key));
		return set.serialize();
	}

	private HttpResponse<String> push(String set, String authorization) {
		try {
			return http.send(HttpRequest.newBuilder(URI.create(this.receiver.url("/ssf/events")))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/secevent+jwt")
				.header("Authorization", authorization)
				.POST(HttpRequest.BodyPublishers.ofString(set))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A token of the administrator's, meant for the Node receiver. */
	private String generate() {
		Api.Response generated = send("POST", this.authServer.url("/api/me/tokens"), this.admin,
				Map.of("audience", List.of(CLIENT)));
		assertThat(generated.status()).isEqualTo(201);
		return generated.json().get("token").asString();
	}

	private int whoami(String token) {
		return send("GET", this.receiver.url("/whoami"), bearer(token), null).status();
	}

	/** How many times the receiver has asked the auth server about a token. */
	private int introspections() {
		return send("GET", this.receiver.url("/health"), null, null).json().get("introspections").asInt();
	}

	private static String sha256Hex(String token) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Path jar(String module) {
		Path jar = Path.of("..", module, "target", "latchkey-" + module + "-exec.jar");
		assertThat(jar).as("built by the reactor before these tests").exists();
		return jar;
	}

}
