package io.latchkey.auth.throttle;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.auth.PortalSession;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing is throttled before any password hashing, with counts in Redis: per username
 * (10 per 5 minutes), per client address (50) and per OAuth client (10). Each test sends
 * from an address of its own on the loopback network (127.0.0.x), as separate machines
 * would.
 */
class ThrottlingTests extends AuthServerTestBase {

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void basicWhenTenWrongPasswordsThenNextAttempts429WithRetryAfterEvenWithTheRightPassword() {
		String user = newUser();
		InetAddress from = someAddress();
		for (int i = 0; i < 10; i++) {
			assertThat(me(user, "wrong-password-" + i, from).status()).as("attempt " + (i + 1)).isEqualTo(401);
		}
		Http.Response throttled = me(user, "wrong-password-again", from);
		assertThat(throttled.status()).isEqualTo(429);
		assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 300L);
		assertThat(throttled.json().get("status").asInt()).isEqualTo(429);
		assertThat(me(user, USER_PASSWORD, from).status()).isEqualTo(429);
		assertThat(me(user, USER_PASSWORD, someAddress()).status()).as("elsewhere, where nobody guessed")
			.isEqualTo(200);
	}

	@Test
	void throttledUserWhenTheWindowHasPassedThenSignsInAgain() {
		String user = newUser();
		InetAddress from = someAddress();
		for (int i = 0; i < 10; i++) {
			me(user, "wrong-" + i, from);
		}
		assertThat(me(user, USER_PASSWORD, from).status()).isEqualTo(429);
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(me(user, USER_PASSWORD, from).status()).isEqualTo(200);
	}

	@Test
	void basicWhenFiftyFailuresFromOneAddressThenEveryUsernameThrottledThere() {
		InetAddress from = someAddress();
		for (int i = 0; i < 50; i++) {
			assertThat(me("nobody-" + i + "-" + System.nanoTime(), "guess", from).status()).isEqualTo(401);
		}
		String user = newUser();
		assertThat(me(user, USER_PASSWORD, from).status()).isEqualTo(429);
		assertThat(me(user, USER_PASSWORD, someAddress()).status()).isEqualTo(200);
	}

	@Test
	void failedSignInsAreAuditedWithTheUsernameAndAddressNeverThePassword() {
		String user = newUser();
		InetAddress from = someAddress();
		me(user, "a-secret-guess", from);
		List<MapRecord<String, Object, Object>> audit = this.redis.opsForStream()
			.reverseRange(KEY_PREFIX + ":{attempts}:audit", Range.unbounded(),
					org.springframework.data.redis.connection.Limit.limit().count(50));
		assertThat(audit).anySatisfy((record) -> {
			assertThat(record.getValue()).containsEntry("type", "signin.failed")
				.containsEntry("username", user)
				.containsEntry("address", from.getHostAddress());
		});
		assertThat(audit.toString()).doesNotContain("a-secret-guess");
	}

	@Test
	void formSignInWhenThrottledThenTheSignInPageSaysSoNotWrongPassword() throws Exception {
		String user = newUser();
		InetAddress from = someAddress();
		for (int i = 0; i < 10; i++) {
			me(user, "wrong-" + i, from);
		}
		PortalSession portal = new PortalSession("http://127.0.0.1:" + this.port, from);
		Http.Response response = portal.signIn(user, USER_PASSWORD);
		assertThat(response.status()).isEqualTo(302);
		assertThat(response.header("Location")).contains("/login?error=throttled");
		Http.Response page = portal.get(response.header("Location").replaceFirst("^https?://[^/]+", ""));
		assertThat(page.body()).contains("Too many failed sign-ins");
	}

	@Test
	void reauthenticationWhenPasswordGuessedTooOftenThenThrottledToo() {
		String user = newUser();
		InetAddress from = someAddress();
		PortalSession portal = new PortalSession("http://127.0.0.1:" + this.port, from).signedIn(user, USER_PASSWORD);
		this.clock.advance(Duration.ofMinutes(16));
		for (int i = 0; i < 10; i++) {
			String page = portal.get("/account/tokens").body();
			assertThat(
					portal.form("/account/tokens", Map.of("nonce", PortalSession.nonce(page), "password", "wrong-" + i))
						.body())
				.contains("That password is not right");
		}
		String page = portal.get("/account/tokens").body();
		assertThat(portal.form("/account/tokens", Map.of("nonce", PortalSession.nonce(page), "password", USER_PASSWORD))
			.body()).contains("Too many failed attempts").doesNotContain("id=\"new-token\"");
	}

	@Test
	void introspectWhenClientSecretGuessedTenTimesThen429EvenWithTheRightSecret() {
		InetAddress from = someAddress();
		String token = tokenFor(newUser());
		for (int i = 0; i < 10; i++) {
			assertThat(introspect("guessed", "wrong-" + i, token, from).status()).isEqualTo(401);
		}
		Http.Response throttled = introspect("guessed", "guessed-secret", token, from);
		assertThat(throttled.status()).isEqualTo(429);
		assertThat(throttled.header("Retry-After")).isNotNull();
		assertThat(throttled.json().get("error").asString()).isEqualTo("temporarily_unavailable");
	}

	@Test
	void introspectWhenClientSecretVerifiedLatelyThenServedDespiteGuessesFromElsewhere() {
		String token = tokenFor(newUser());
		assertThat(introspect("machine", "machine-secret", token, someAddress()).status()).isEqualTo(403);
		InetAddress attacker = someAddress();
		for (int i = 0; i < 12; i++) {
			introspect("machine", "guess-" + i, token, attacker);
		}
		assertThat(introspect("machine", "guess-again", token, attacker).status()).isEqualTo(429);
		assertThat(introspect("machine", "machine-secret", token, someAddress()).status())
			.as("the real client, whose secret was verified lately, is not locked out")
			.isEqualTo(403);
	}

	private Http.Response me(String username, String password, InetAddress from) {
		return Http.get("http://127.0.0.1:" + this.port + "/api/me").basic(username, password).from(from).send();
	}

	private Http.Response introspect(String clientId, String secret, String token, InetAddress from) {
		return Http.post("http://127.0.0.1:" + this.port + "/oauth2/introspect")
			.basic(clientId, secret)
			.form(Map.of("token", token))
			.from(from)
			.send();
	}

	private static InetAddress someAddress() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		try {
			return InetAddress.getByName(
					"127." + random.nextInt(1, 255) + "." + random.nextInt(0, 256) + "." + random.nextInt(1, 255));
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
