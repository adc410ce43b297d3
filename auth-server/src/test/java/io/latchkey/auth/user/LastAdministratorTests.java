package io.latchkey.auth.user;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.latchkey.auth.Http;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last administrator (an enabled user with a password and {@code users.manage})
 * cannot be removed, in any of the ways it could go: deleted, disabled, taken out of its
 * group, its group losing the right or being deleted. Runs on a directory of its own,
 * where {@code admin} is the only administrator.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "latchkey.admin.password=" + LastAdministratorTests.PASSWORD)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LastAdministratorTests {

	static final String PASSWORD = "only-admin-password";

	private static final String PREFIX = "lklast-" + UUID.randomUUID().toString().substring(0, 8);

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RealRedis.register(registry);
		registry.add("latchkey.redis.key-prefix", () -> PREFIX);
		registry.add("latchkey.redis.events-channel", () -> PREFIX + ":events");
	}

	@Test
	void removeOwnAdministratorsGroupWhenLastAdministratorThenConflictAndUnchanged() {
		Http.Response response = admin(Http.patch(url("/api/users/admin")).json(Map.of("groups", List.of())));
		assertThat(response.status()).isEqualTo(409);
		assertThat(response.json().get("detail").asString()).contains("administrator");
		assertThat(admin(Http.get(url("/api/users"))).status()).isEqualTo(200);
	}

	@Test
	void takeUsersManageFromTheLastAdministratorsGroupThenConflict() {
		Http.Response response = admin(Http.put(url("/api/groups/Administrators"))
			.json(Map.of("name", "Administrators", "rights", List.of("tokens.manage", "projects.read"))));
		assertThat(response.status()).isEqualTo(409);
		assertThat(admin(Http.get(url("/api/groups/Administrators"))).json().get("rights").toString())
			.contains("users.manage");
	}

	@Test
	void deleteTheLastAdministratorsGroupThenConflict() {
		assertThat(admin(Http.delete(url("/api/groups/Administrators"))).status()).isEqualTo(409);
		assertThat(admin(Http.get(url("/api/groups/Administrators"))).status()).isEqualTo(200);
	}

	@Test
	void deleteOrDisableTheLastAdministratorThroughAServiceAccountTokenThenConflict() {
		String robot = "robot-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(
				admin(Http.post(url("/api/users")).json(Map.of("username", robot, "groups", List.of("Administrators"))))
					.status())
			.isEqualTo(201);
		String token = admin(
				Http.post(url("/api/users/" + robot + "/tokens")).json(Map.of("audience", List.of("latchkey-api"))))
			.json()
			.get("token")
			.asString();
		Http.Response delete = Http.delete(url("/api/users/admin")).bearer(token).send();
		assertThat(delete.status()).isEqualTo(409);
		Http.Response disable = Http.patch(url("/api/users/admin")).bearer(token).json(Map.of("enabled", false)).send();
		assertThat(disable.status()).isEqualTo(409);
		assertThat(admin(Http.get(url("/api/me"))).status()).isEqualTo(200);
		admin(Http.delete(url("/api/users/" + robot)));
	}

	@Test
	void removeAnAdministratorWhenAnotherRemainsThenAllowed() {
		String second = "second-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(admin(Http.post(url("/api/users"))
			.json(Map.of("username", second, "password", "second-admin-password", "groups", List.of("Administrators"))))
			.status()).isEqualTo(201);
		Http.Response response = Http.patch(url("/api/users/admin"))
			.basic(second, "second-admin-password")
			.json(Map.of("enabled", false))
			.send();
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		Http.Response lastOne = Http.patch(url("/api/users/" + second))
			.basic(second, "second-admin-password")
			.json(Map.of("groups", List.of()))
			.send();
		assertThat(lastOne.status()).isEqualTo(409);
		Http.patch(url("/api/users/admin")).basic(second, "second-admin-password").json(Map.of("enabled", true)).send();
		assertThat(admin(Http.delete(url("/api/users/" + second))).status()).isEqualTo(204);
	}

	@Test
	void lastFullAdministratorWhenLeavingAdministratorsWhileAUserManagerRemainsThenConflict() {
		String manager = "manager-" + UUID.randomUUID().toString().substring(0, 8);
		String managers = "managers-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(
				admin(Http.post(url("/api/groups")).json(Map.of("name", managers, "rights", List.of("users.manage"))))
					.status())
			.isEqualTo(201);
		assertThat(admin(Http.post(url("/api/users"))
			.json(Map.of("username", manager, "password", "manager-password", "groups", List.of(managers)))).status())
			.isEqualTo(201);
		Http.Response response = admin(Http.patch(url("/api/users/admin")).json(Map.of("groups", List.of(managers))));
		assertThat(response.status()).as(response.body()).isEqualTo(409);
		assertThat(response.json().get("rule").asString()).isEqualTo("last-administrator");
		assertThat(admin(Http.get(url("/api/users/admin"))).json().get("groups").toString()).contains("Administrators");
		assertThat(admin(Http.put(url("/api/groups/Administrators"))
			.json(Map.of("name", "Administrators", "rights",
					List.of("users.manage", "tokens.manage", "projects.read", "projects.write"))))
			.status()).as("taking audit.read from the last full administrator").isEqualTo(409);
		admin(Http.delete(url("/api/users/" + manager)));
		admin(Http.delete(url("/api/groups/" + managers)));
	}

	private Http.Response admin(Http request) {
		return request.basic("admin", PASSWORD).send();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}
