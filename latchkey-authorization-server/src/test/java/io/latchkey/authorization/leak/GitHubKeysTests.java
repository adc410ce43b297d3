package io.latchkey.authorization.leak;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.latchkey.testsupport.MutableClock;
import io.latchkey.testsupport.SecretScanningKeys;
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

	private final KeyPair configured = SecretScanningKeys.generate();

	private final KeyPair served = SecretScanningKeys.generate();

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
		GitHubKeys keys = new GitHubKeys(Map.of("a", SecretScanningKeys.pem(this.configured.getPublic())), null,
				Duration.ofDays(1), Duration.ofMinutes(1), this.clock, RestClient.builder());
		assertThat(keys.verify("a", BODY, SecretScanningKeys.sign(this.configured.getPrivate(), BODY))).isTrue();
	}

	@Test
	void verifyWhenAnotherKeyAnotherBodyAnUnknownIdOrGarbageThenFalse() {
		GitHubKeys keys = new GitHubKeys(Map.of("a", SecretScanningKeys.pem(this.configured.getPublic())), null,
				Duration.ofDays(1), Duration.ofMinutes(1), this.clock, RestClient.builder());
		String good = SecretScanningKeys.sign(this.configured.getPrivate(), BODY);
		assertThat(keys.verify("a", BODY, SecretScanningKeys.sign(this.served.getPrivate(), BODY))).isFalse();
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
		String signature = SecretScanningKeys.sign(this.served.getPrivate(), BODY);
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
		assertThatIllegalArgumentException()
			.isThrownBy(() -> GitHubKeys.parse(SecretScanningKeys.pem(p384.generateKeyPair().getPublic())));
		assertThatIllegalArgumentException().isThrownBy(() -> GitHubKeys.parse("-----BEGIN PUBLIC KEY-----"));
	}

	private URI startMeta() throws IOException {
		this.meta = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.meta.createContext("/meta", (exchange) -> {
			this.fetches.incrementAndGet();
			byte[] body = ("{\"public_keys\":[{\"key_identifier\":\"served\",\"key\":\""
					+ SecretScanningKeys.pem(this.served.getPublic()).replace("\n", "\\n")
					+ "\",\"is_current\":true}]}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.meta.start();
		return URI.create("http://127.0.0.1:" + this.meta.getAddress().getPort() + "/meta");
	}

}
