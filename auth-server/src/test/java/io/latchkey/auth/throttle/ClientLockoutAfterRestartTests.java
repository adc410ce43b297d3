package io.latchkey.auth.throttle;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.latchkey.auth.Http;
import io.latchkey.auth.Loopback;
import io.latchkey.auth.LatchkeyAuthServerApplication;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule 9, client secrets: a guesser at one address never locks the introspecting client
 * out at another, even right after a restart, when no secret is known to be verified yet
 * (the cache of verified secrets lives in memory only). The counts live in Redis and
 * survive the restart.
 */
class ClientLockoutAfterRestartTests {

	private static final String PREFIX = "lkrestart-" + UUID.randomUUID().toString().substring(0, 8);

	private static final String SECRET = "restart-test-secret";

	@Test
	void wrongSecretsFromOneAddressWhenTheServerRestartedColdThenTheClientIsServedFromItsOwnAddress() {
		InetAddress attacker = Loopback.someAddress();
		InetAddress resourceService = Loopback.someAddress();
		try (ConfigurableApplicationContext first = start()) {
			for (int i = 0; i < 12; i++) {
				introspect(first, "wrong-" + i, attacker);
			}
			assertThat(introspect(first, SECRET, attacker).status()).isEqualTo(429);
		}
		try (ConfigurableApplicationContext second = start()) {
			assertThat(introspect(second, SECRET, attacker).status()).as("still throttled where it guessed")
				.isEqualTo(429);
			Http.Response served = introspect(second, SECRET, resourceService);
			assertThat(served.status()).as(served.body()).isEqualTo(200);
		}
	}

	private static ConfigurableApplicationContext start() {
		List<String> arguments = new ArrayList<>(RealRedis.arguments());
		arguments.addAll(List.of("--server.port=0", "--latchkey.redis.key-prefix=" + PREFIX,
				"--latchkey.redis.events-channel=" + PREFIX + ":events",
				"--latchkey.admin.password=restart-admin-password", "--LATCHKEY_RESOURCE_API_SECRET={noop}" + SECRET));
		return new SpringApplicationBuilder(LatchkeyAuthServerApplication.class).run(arguments.toArray(String[]::new));
	}

	private static Http.Response introspect(ConfigurableApplicationContext context, String secret, InetAddress from) {
		return Http
			.post("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
					+ "/oauth2/introspect")
			.basic("resource-api", secret)
			.form(Map.of("token", "lkp_" + "a".repeat(36)))
			.from(from)
			.send();
	}

}
