package io.latchkey.auth.security;

import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule 3: a bearer token never creates or extends a credential that outlives it. A stolen
 * token whose owner may manage users cannot give a password account (the thief's own)
 * more rights, nor widen a group that has a password member, nor bring a disabled
 * password account back; service accounts stay manageable by tokens. Each refusal is a
 * 403 problem naming the rule, and changes nothing.
 */
class BearerTokenNeverExtendsTests extends AuthServerTestBase {

	@Test
	void stolenAdministratorTokenWhenPuttingPasswordAccountIntoAdministratorsThenForbiddenAndUnchanged() {
		String thief = newUser();
		String stolen = ownToken(ADMIN, ADMIN_PASSWORD);
		Http.Response response = Http.patch(url("/api/users/" + thief))
			.bearer(stolen)
			.json(Map.of("groups", List.of("Administrators")))
			.send();
		assertRefused(response);
		assertThat(asAdmin(Http.get(url("/api/users/" + thief))).json().get("groups").size()).isZero();
		assertThat(Http.get(url("/api/me")).basic(thief, USER_PASSWORD).send().json().get("rights").size()).isZero();
	}

	@Test
	void stolenTokenWhenWideningGroupWithPasswordMemberThenForbiddenAndUnchanged() {
		String group = newGroup("projects.read");
		String member = newUser(group);
		String stolen = ownToken(ADMIN, ADMIN_PASSWORD);
		Http.Response response = Http.put(url("/api/groups/" + group))
			.bearer(stolen)
			.json(Map.of("name", group, "rights", List.of("projects.read", "users.manage")))
			.send();
		assertRefused(response);
		assertThat(asAdmin(Http.get(url("/api/groups/" + group))).json().get("rights").toString())
			.doesNotContain("users.manage");
		assertThat(Http.get(url("/api/me")).basic(member, USER_PASSWORD).send().json().get("rights").toString())
			.doesNotContain("users.manage");
	}

	@Test
	void stolenTokenWhenEnablingDisabledPasswordAccountThenForbidden() {
		String user = newUser();
		asAdmin(Http.patch(url("/api/users/" + user)).json(Map.of("enabled", false)));
		String stolen = ownToken(ADMIN, ADMIN_PASSWORD);
		assertRefused(Http.patch(url("/api/users/" + user)).bearer(stolen).json(Map.of("enabled", true)).send());
		assertThat(Http.get(url("/api/me")).basic(user, USER_PASSWORD).send().status()).isEqualTo(401);
	}

	@Test
	void tokenWhenManagingServiceAccountsThenAllowed() {
		String readers = newGroup("projects.read");
		String writers = newGroup("projects.write");
		String token = ownToken(ADMIN, ADMIN_PASSWORD);
		String robot = "robot-" + System.nanoTime();
		Http.Response created = Http.post(url("/api/users"))
			.bearer(token)
			.json(Map.of("username", robot, "groups", List.of(readers)))
			.send();
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		Http.Response moved = Http.patch(url("/api/users/" + robot))
			.bearer(token)
			.json(Map.of("groups", List.of(readers, writers)))
			.send();
		assertThat(moved.status()).as(moved.body()).isEqualTo(200);
		String robots = newGroup();
		asAdmin(Http.patch(url("/api/users/" + robot)).json(Map.of("groups", List.of(robots))));
		Http.Response widened = Http.put(url("/api/groups/" + robots))
			.bearer(token)
			.json(Map.of("name", robots, "rights", List.of("projects.read")))
			.send();
		assertThat(widened.status()).as("a group of service accounts only").isEqualTo(200);
	}

	private void assertRefused(Http.Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(403);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("rule").asString()).isEqualTo("token-never-extends");
	}

	private String ownToken(String username, String password) {
		Http.Response response = Http.post(url("/api/me/tokens")).basic(username, password).json(Map.of()).send();
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json().get("token").asString();
	}

}
