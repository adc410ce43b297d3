package io.latchkey.authorization.leak;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.latchkey.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * GitHub's signature checked with the JDK's ECDSA: the key named, over the exact bytes;
 * keys from the configuration or GitHub's meta endpoint, fetched again for an unknown
 * identifier at most once per interval.
 */
class GitHubKeysTests {

	private static final byte[] BODY = "[{\"token\":\"lkp_x\",\"type\":\"latchkey_pat\"}]"
		.getBytes(StandardCharsets.UTF_8);

	private final KeyPair configured = keyPair();

	private final KeyPair served = keyPair();

	private final AtomicInteger fetches = new AtomicInteger();

	private final MutableClock clock = MutableClock.startingNow();

	private HttpServer meta;

	@AfterEach
	void stop() {
		if (this.meta != null) {
			this.meta.stop(0);
		}
	}

	@Test
	void verifyWhenSignedByTheNamedKeyOverTheSameBytesThenTrue() {
		GitHubKeys keys = new GitHubKeys(Map.of("a", pem(this.configured)), null, Duration.ofDays(1),
				Duration.ofMinutes(1), this.clock, RestClient.builder());
		assertThat(keys.verify("a", BODY, sign(this.configured.getPrivate(), BODY))).isTrue();
	}

	@Test
	void verifyWhenAnotherKeyAnotherBodyAnUnknownIdOrGarbageThenFalse() {
		GitHubKeys keys = new GitHubKeys(Map.of("a", pem(this.configured)), null, Duration.ofDays(1),
				Duration.ofMinutes(1), this.clock, RestClient.builder());
		String good = sign(this.configured.getPrivate(), BODY);
		assertThat(keys.verify("a", BODY, sign(this.served.getPrivate(), BODY))).isFalse();
		assertThat(keys.verify("a", "[]".getBytes(StandardCharsets.UTF_8), good)).isFalse();
		assertThat(keys.verify("b", BODY, good)).isFalse();
		assertThat(keys.verify("a", BODY, "%%%")).isFalse();
		assertThat(keys.verify("a", BODY, Base64.getEncoder().encodeToString(new byte[] { 1, 2, 3 }))).isFalse();
		assertThat(keys.verify("", BODY, good)).isFalse();
	}

	@Test
	void keyWhenUnknownThenFetchedAtMostOncePerIntervalAndKeptWhenTheEndpointFails() throws Exception {
		GitHubKeys keys = new GitHubKeys(Map.of(), startMeta(), Duration.ofDays(1), Duration.ofMinutes(1), this.clock,
				RestClient.builder());
		String signature = sign(this.served.getPrivate(), BODY);
		assertThat(keys.verify("served", BODY, signature)).isTrue();
		assertThat(keys.verify("served", BODY, signature)).isTrue();
		assertThat(keys.verify("forged-1", BODY, signature)).isFalse();
		assertThat(keys.verify("forged-2", BODY, signature)).isFalse();
		assertThat(this.fetches).as("one fetch, however many unknown ids").hasValue(1);
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(keys.verify("forged-3", BODY, signature)).isFalse();
		assertThat(this.fetches).hasValue(2);
		this.meta.stop(0);
		this.meta = null;
		this.clock.advance(Duration.ofDays(2));
		assertThat(keys.verify("served", BODY, signature)).as("kept when a refresh fails").isTrue();
	}

	@Test
	void parseWhenNotAP256PublicKeyThenRefused() throws Exception {
		KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
		p384.initialize(new ECGenParameterSpec("secp384r1"));
		assertThatIllegalArgumentException().isThrownBy(() -> GitHubKeys.parse(pem(p384.generateKeyPair())));
		assertThatIllegalArgumentException().isThrownBy(() -> GitHubKeys.parse("-----BEGIN PUBLIC KEY-----"));
	}

	private URI startMeta() throws IOException {
		this.meta = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.meta.createContext("/meta", (exchange) -> {
			this.fetches.incrementAndGet();
			byte[] body = ("{\"public_keys\":[{\"key_identifier\":\"served\",\"key\":\""
					+ pem(this.served).replace("\n", "\\n") + "\",\"is_current\":true}]}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.meta.start();
		return URI.create("http://127.0.0.1:" + this.meta.getAddress().getPort() + "/meta");
	}

	private static KeyPair keyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String pem(KeyPair pair) {
		return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
	}

	private static String sign(PrivateKey key, byte[] body) {
		try {
			Signature signer = Signature.getInstance("SHA256withECDSA");
			signer.initSign(key);
			signer.update(body);
			return Base64.getEncoder().encodeToString(signer.sign());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
