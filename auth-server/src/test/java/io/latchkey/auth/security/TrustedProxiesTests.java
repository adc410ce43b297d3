package io.latchkey.auth.security;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.auth.Loopback;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.latchkey.authorization.token.LastUseRecorder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule 10: addresses come from trusted proxies only. 127.0.0.2 is this server's trusted
 * proxy ({@code latchkey.http.trusted-proxies}); 127.0.0.3 is anybody. Only a trusted
 * peer may say who the client is ({@code X-Forwarded-For} or {@code Forwarded}), and the
 * client is the first untrusted hop from the right; that one address is what allowlists,
 * recent addresses, throttling and the audit trail see.
 */
@TestPropertySource(properties = "latchkey.http.trusted-proxies=127.0.0.2/32")
class TrustedProxiesTests extends AuthServerTestBase {

	private static final InetAddress PROXY = Loopback.address("127.0.0.2");

	private static final InetAddress STRANGER = Loopback.address("127.0.0.3");

	@Autowired
	private LastUseRecorder lastUses;

	@Test
	void forwardedForFromAnUntrustedPeerWhenTokenIsAllowlistedThereThenIgnoredAndRefused() {
		String token = allowlisted("10.9.9.9/32");
		assertThat(me(token, STRANGER, "X-Forwarded-For", "10.9.9.9").status()).isEqualTo(401);
		assertThat(me(token, STRANGER, "Forwarded", "for=10.9.9.9").status()).isEqualTo(401);
	}

	@Test
	void forwardedForFromTheTrustedProxyThenTheClientIsTheFirstUntrustedHopFromTheRight() {
		String token = allowlisted("10.9.9.9/32");
		assertThat(me(token, PROXY, "X-Forwarded-For", "10.9.9.9").status()).isEqualTo(200);
		assertThat(me(token, PROXY, "Forwarded", "for=\"10.9.9.9\";proto=https").status()).isEqualTo(200);
		assertThat(me(token, PROXY, "X-Forwarded-For", "10.9.9.9, 127.0.0.3").status())
			.as("127.0.0.3 is untrusted: it is the client, whatever it claims")
			.isEqualTo(401);
		assertThat(me(token, PROXY, "X-Forwarded-For", "10.1.1.1, 10.9.9.9, 127.0.0.2").status())
			.as("trusted hops are skipped from the right")
			.isEqualTo(200);
		this.lastUses.flush();
		JsonNode listed = Http.get(url("/api/me/tokens")).basic(ADMIN, ADMIN_PASSWORD).send().json().get(0);
		assertThat(listed.get("recentUses").toString()).contains("10.9.9.9").doesNotContain("127.0.0.2");
	}

	@Test
	void wrongPasswordsThroughTheProxyThenCountedPerClientNotPerProxy() {
		String user = newUser();
		for (int i = 0; i < 12; i++) {
			basic(user, "wrong-" + i, "10.7.7.7");
		}
		assertThat(basic(user, USER_PASSWORD, "10.7.7.7").status()).isEqualTo(429);
		assertThat(basic(user, USER_PASSWORD, "10.7.7.8").status()).as("another client behind the same proxy")
			.isEqualTo(200);
	}

	private String allowlisted(String range) {
		Http.Response created = asAdmin(Http.post(url("/api/me/tokens"))
			.json(Map.of("allowedIps", List.of(range), "scopes", List.of("tokens.self"))));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().get("token").asString();
	}

	private Http.Response me(String token, InetAddress from, String header, String value) {
		return Http.get("http://127.0.0.1:" + this.port + "/api/me")
			.bearer(token)
			.header(header, value)
			.from(from)
			.send();
	}

	private Http.Response basic(String user, String password, String client) {
		return Http.get("http://127.0.0.1:" + this.port + "/api/me")
			.basic(user, password)
			.header("X-Forwarded-For", client)
			.from(PROXY)
			.send();
	}

}
