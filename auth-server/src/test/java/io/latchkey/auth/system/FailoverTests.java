package io.latchkey.auth.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.latchkey.auth.Http;
import io.latchkey.core.TokenDigest;
import io.latchkey.testsupport.RedisTopology;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing acknowledged is lost when Redis's primary is killed ({@code kill -9}) in the
 * middle of a burst of token creations and revocations: afterwards every token whose
 * creation was acknowledged exists and introspects active, and every token whose
 * revocation was acknowledged stays revoked (a revoked token coming back is the worst
 * outcome there is). Meanwhile requests get 503 with {@code Retry-After}, never a 500 or
 * a success that is then undone, and the server recovers by itself. Each subclass kills a
 * topology of its own (so runs once, in the standalone pass); the figures go to the
 * output.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "latchkey.admin.password=" + FailoverTests.PASSWORD, "spring.data.redis.timeout=1s",
				"latchkey.tokens.max-per-user=100000", "spring.data.redis.lettuce.cluster.refresh.adaptive=true",
				"spring.data.redis.lettuce.cluster.refresh.period=2s" })
@DirtiesContext
abstract class FailoverTests {

	static final String PASSWORD = "failover-admin-password";

	static final String PREFIX = "failover-" + UUID.randomUUID().toString().substring(0, 8);

	@LocalServerPort
	private int port;

	/** Points the application at {@code topology} under a key prefix of its own. */
	static void register(RedisTopology topology, DynamicPropertyRegistry registry) {
		topology.register(registry);
		registry.add("latchkey.redis.key-prefix", () -> PREFIX);
		registry.add("latchkey.redis.events-channel", () -> PREFIX + ":events");
	}

	/** The Redis set-up this test kills. */
	abstract RedisTopology topology();

	/**
	 * Kills Redis's primary, and brings things back as an operator (or a supervisor)
	 * would.
	 */
	abstract void fault(FailoverBurst burst);

	@Test
	void acknowledgedChangesWhenThePrimaryIsKilledMidBurstThenNoneLostAnd503UntilRecovered() throws Exception {
		FailoverBurst burst = new FailoverBurst("http://localhost:" + this.port, "admin", PASSWORD);
		burst.run(4, () -> fault(burst));
		System.out.println(burst.report(topology().kind().name().toLowerCase(java.util.Locale.ROOT)));

		assertThat(burst.unexpected).as("answers other than 201, 204 or 503 with Retry-After").isEmpty();
		assertThat(burst.sawUnavailable()).as("requests during the outage get 503").isTrue();
		List<String> lost = new ArrayList<>();
		LettuceConnectionFactory connections = topology().connectionFactory();
		try {
			StringRedisTemplate redis = new StringRedisTemplate(connections);
			for (FailoverBurst.Token token : burst.created) {
				boolean revoked = burst.revoked.contains(token.id());
				String record = PREFIX + ":token:{" + TokenDigest.of(token.value()) + "}";
				boolean stored = Boolean.TRUE.equals(redis.hasKey(record));
				boolean active = introspect(token.value()).contains("\"active\":true");
				if (stored == revoked || active == revoked) {
					lost.add(token.id() + (revoked ? ": revoked, but back" : ": created, but gone"));
				}
			}
		}
		finally {
			connections.destroy();
		}
		assertThat(lost).as("acknowledged changes lost in the failover").isEmpty();
	}

	private String introspect(String token) {
		Http.Response answer = Http.post("http://localhost:" + this.port + "/oauth2/introspect")
			.basic("resource-api", "resource-api-test-secret")
			.form(Map.of("token", token))
			.send();
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return answer.body();
	}

}
