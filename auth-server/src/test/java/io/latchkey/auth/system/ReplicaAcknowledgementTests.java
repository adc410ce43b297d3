package io.latchkey.auth.system;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.latchkey.auth.Http;
import io.latchkey.core.TokenDigest;
import io.latchkey.testsupport.RedisTopology;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code latchkey.redis.wait-replicas=1}: a creation or revocation is acknowledged
 * only once the replica has it (read straight from the replica right after the answer),
 * and while the replica stalls the same call answers 503 with {@code Retry-After}, never
 * a success that a failover could undo; its event still goes out, so that no cache keeps
 * serving a token that is gone from the primary, nor a group member's rights that the
 * primary no longer grants. Behind real Sentinels and on a Cluster (where the wait goes
 * to the primary of each written key), in the subclasses.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "latchkey.admin.password=replica-admin-password", "latchkey.redis.wait-replicas=1",
				"latchkey.redis.wait-timeout=500ms" })
abstract class ReplicaAcknowledgementTests {

	/** The set-up whose replica stalls. */
	abstract RedisTopology topology();

	private static final String PREFIX = "replicas-" + UUID.randomUUID().toString().substring(0, 8);

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	static void prefix(DynamicPropertyRegistry registry) {
		registry.add("latchkey.redis.key-prefix", () -> PREFIX);
		registry.add("latchkey.redis.events-channel", () -> PREFIX + ":events");
	}

	@Test
	void changesWhenAcknowledgedThenOnTheReplicaAndWhenTheReplicaStallsThen503() {
		JsonNode created = generate();
		String record = PREFIX + ":token:{" + sha256(created.get("token").asString()) + "}";
		assertThat(onReplica(record)).as("a created token is on the replica when acknowledged").isEqualTo(1);

		Http.Response revoked = Http.delete(url("/api/me/tokens/" + created.get("id").asString()))
			.basic("admin", "replica-admin-password")
			.send();
		assertThat(revoked.status()).isEqualTo(204);
		assertThat(onReplica(record)).as("a revocation is on the replica when acknowledged").isZero();

		JsonNode second = generate();
		assertThat(introspect(second.get("token").asString())).as("hot: kept by the verification cache")
			.contains("\"active\":true");
		int replica = topology().replicaFor(PREFIX + ":token:{" + sha256(second.get("token").asString()) + "}");
		topology().freeze(replica, true);
		double unconfirmedBefore = this.meters.get("latchkey.redis.wait.unconfirmed").counter().count();
		try {
			Http.Response unconfirmed = Http.delete(url("/api/me/tokens/" + second.get("id").asString()))
				.basic("admin", "replica-admin-password")
				.send();
			assertThat(unconfirmed.status()).as(unconfirmed.body()).isEqualTo(503);
			assertThat(this.meters.get("latchkey.redis.wait.unconfirmed").counter().count())
				.isEqualTo(unconfirmedBefore + 1);
			assertThat(unconfirmed.header("Retry-After")).isNotBlank();
			assertThat(unconfirmed.body()).doesNotContain("Exception");
		}
		finally {
			topology().freeze(replica, false);
		}
		assertThat(introspect(second.get("token").asString()))
			.as("the unconfirmed revocation stands on the primary, and its event emptied the caches anyway")
			.isEqualTo("{\"active\":false}");
	}

	@Test
	void groupChangeWhenTheReplicaStallsThen503AndTheMembersRightsAreReadAgain() {
		String group = "replicas-" + UUID.randomUUID().toString().substring(0, 8);
		asAdmin(Http.post(url("/api/groups"))
			.json(Map.of("name", group, "rights", List.of("projects.read", "projects.write"))), 201);
		String user = "user-" + UUID.randomUUID().toString().substring(0, 8);
		asAdmin(Http.post(url("/api/users"))
			.json(Map.of("username", user, "displayName", "Replica User", "password", "replica-user-password", "groups",
					List.of(group))),
				201);
		String token = asAdmin(Http.post(url("/api/users/" + user + "/tokens")).json("{}"), 201).json()
			.get("token")
			.asString();
		assertThat(introspect(token)).as("hot: the owner's rights kept by the verification cache")
			.contains("\"scope\":\"projects.read projects.write\"");
		int replica = topology().replicaFor(PREFIX + ":{dir}:groups");
		topology().freeze(replica, true);
		try {
			Http.Response unconfirmed = asAdmin(Http.put(url("/api/groups/" + group))
				.json(Map.of("name", group, "rights", List.of("projects.read"))), 503);
			assertThat(unconfirmed.header("Retry-After")).isNotBlank();
		}
		finally {
			topology().freeze(replica, false);
		}
		assertThat(introspect(token))
			.as("the unconfirmed change stands on the primary, and its event dropped the members' cached rights")
			.contains("\"scope\":\"projects.read\"");
	}

	private Http.Response asAdmin(Http request, int status) {
		Http.Response response = request.basic("admin", "replica-admin-password").send();
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		return response;
	}

	private String introspect(String token) {
		return Http.post(url("/oauth2/introspect"))
			.basic("resource-api", "resource-api-test-secret")
			.form(Map.of("token", token))
			.send()
			.body();
	}

	private JsonNode generate() {
		Http.Response response = Http.post(url("/api/me/tokens"))
			.basic("admin", "replica-admin-password")
			.json("{}")
			.send();
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json();
	}

	private long onReplica(String key) {
		RedisClient client = RedisClient.create("redis://127.0.0.1:" + topology().replicaFor(key));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			if (topology().kind() == RedisTopology.Kind.CLUSTER) {
				connection.sync().readOnly();
			}
			return connection.sync().exists(key);
		}
		finally {
			client.shutdown();
		}
	}

	private static String sha256(String token) {
		return io.latchkey.core.TokenDigest.of(token);
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}
