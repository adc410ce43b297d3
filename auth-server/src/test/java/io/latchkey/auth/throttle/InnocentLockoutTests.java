package io.latchkey.auth.throttle;

import java.net.InetAddress;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.auth.Loopback;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule 9: guessing locks out nobody innocent. Wrong passwords count per username and
 * address, so a user who has no failures at another address still signs in there, until
 * the much higher per-username cap; wrong client secrets count per client and address, so
 * a guesser never locks a resource service out elsewhere. Each test uses loopback
 * addresses of its own (127.x.y.z).
 */
class InnocentLockoutTests extends AuthServerTestBase {

	@Test
	void wrongPasswordsFromOneAddressWhenTheUserSignsInFromAnotherThenAllowed() {
		String user = newUser();
		InetAddress attacker = Loopback.someAddress();
		for (int i = 0; i < 12; i++) {
			me(user, "wrong-" + i, attacker);
		}
		assertThat(me(user, USER_PASSWORD, attacker).status()).isEqualTo(429);
		assertThat(me(user, USER_PASSWORD, Loopback.someAddress()).status()).as("the innocent, elsewhere")
			.isEqualTo(200);
	}

	@Test
	void wrongPasswordsFromManyAddressesWhenBeyondThePerUsernameCapThenThrottledEverywhere() {
		String user = newUser();
		for (int address = 0; address < 10; address++) {
			InetAddress from = Loopback.someAddress();
			for (int i = 0; i < 10; i++) {
				assertThat(me(user, "wrong-" + i, from).status()).isEqualTo(401);
			}
		}
		assertThat(me(user, USER_PASSWORD, Loopback.someAddress()).status()).isEqualTo(429);
	}

	@Test
	void wrongClientSecretsFromOneAddressWhenTheClientIntrospectsFromAnotherThenServed() {
		String token = tokenFor(newUser());
		InetAddress attacker = Loopback.someAddress();
		for (int i = 0; i < 12; i++) {
			introspect("innocent", "wrong-" + i, token, attacker);
		}
		assertThat(introspect("innocent", "innocent-secret", token, attacker).status()).isEqualTo(429);
		assertThat(introspect("innocent", "innocent-secret", token, Loopback.someAddress()).status())
			.as("innocent is not allowed to introspect, but authenticated: 403, not 429")
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

}
