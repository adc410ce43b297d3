package io.latchkey.auth.user;

import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Users, groups and rights over HTTP. */
class UserApiTests extends AuthServerTestBase {

	@Test
	void meWhenBasicThenUserAndRights() {
		String user = newUser(newGroup("projects.read"));
		JsonNode me = Http.get(url("/api/me")).basic(user, USER_PASSWORD).send().json();
		assertThat(me.get("username").asString()).isEqualTo(user);
		assertThat(me.get("rights").values()).extracting(JsonNode::asString).containsExactly("projects.read");
		assertThat(me.get("authenticatedBy").asString()).isEqualTo("password");
	}

	@Test
	void createWhenValidThen201WithoutPasswordAndCanSignIn() {
		String group = newGroup("projects.read");
		Http.Response response = asAdmin(Http.post(url("/api/users"))
			.json(Map.of("username", "integration-" + group, "displayName", "Integration", "password",
					"long-enough-password", "groups", List.of(group))));
		assertThat(response.status()).isEqualTo(201);
		JsonNode body = response.json();
		assertThat(body.get("enabled").asBoolean()).isTrue();
		assertThat(body.get("rights").values()).extracting(JsonNode::asString).containsExactly("projects.read");
		assertThat(response.body()).doesNotContain("long-enough-password").doesNotContain("password\"");
		assertThat(Http.get(url("/api/me")).basic("integration-" + group, "long-enough-password").send().status())
			.isEqualTo(200);
	}

	@Test
	void createWhenNameTakenThen409() {
		String user = newUser();
		Http.Response response = asAdmin(
				Http.post(url("/api/users")).json(Map.of("username", user, "password", "another-password")));
		assertThat(response.status()).isEqualTo(409);
		assertThat(response.header("Content-Type")).contains("application/problem+json");
	}

	@Test
	void createWhenBadInputThen400NamingFieldAndNothingStored() {
		assertBadField(asAdmin(
				Http.post(url("/api/users")).json(Map.of("username", "has space", "password", "long-enough-password"))),
				"username");
		assertBadField(asAdmin(Http.post(url("/api/users")).json(Map.of("username", "shortpw", "password", "short"))),
				"password");
		assertBadField(asAdmin(Http.post(url("/api/users"))
			.json(Map.of("username", "nogroup", "password", "long-enough-password", "groups", List.of("missing")))),
				"groups");
		assertBadField(
				asAdmin(Http.post(url("/api/users"))
					.json(Map.of("username", "badtype", "password", "long-enough-password", "enabled", "maybe"))),
				"enabled");
		for (String name : List.of("has space", "shortpw", "nogroup", "badtype")) {
			assertThat(asAdmin(Http.get(url("/api/users/" + name.replace(" ", "%20")))).status()).isIn(400, 404);
		}
	}

	@Test
	void updateWhenDisabledThenCannotSignIn() {
		String user = newUser();
		Http.Response response = asAdmin(Http.patch(url("/api/users/" + user)).json(Map.of("enabled", false)));
		assertThat(response.json().get("enabled").asBoolean()).isFalse();
		assertThat(Http.get(url("/api/me")).basic(user, USER_PASSWORD).send().status()).isEqualTo(401);
	}

	@Test
	void updateWhenOwnAccountDisabledThen409AndStillEnabled() {
		assertThat(asAdmin(Http.patch(url("/api/users/" + ADMIN)).json(Map.of("enabled", false))).status())
			.isEqualTo(409);
		assertThat(asAdmin(Http.get(url("/api/users/" + ADMIN))).json().get("enabled").asBoolean()).isTrue();
	}

	@Test
	void updateWhenPasswordAndGroupsChangedThenApplied() {
		String user = newUser();
		String group = newGroup("projects.write");
		asAdmin(Http.patch(url("/api/users/" + user))
			.json(Map.of("password", "a-new-password", "groups", List.of(group), "displayName", "Renamed")));
		JsonNode me = Http.get(url("/api/me")).basic(user, "a-new-password").send().json();
		assertThat(me.get("displayName").asString()).isEqualTo("Renamed");
		assertThat(me.get("rights").values()).extracting(JsonNode::asString).containsExactly("projects.write");
		assertThat(Http.get(url("/api/me")).basic(user, USER_PASSWORD).send().status()).isEqualTo(401);
	}

	@Test
	void deleteWhenUserThen204ThenGoneAndOwnAccountRefused() {
		String user = newUser();
		assertThat(asAdmin(Http.delete(url("/api/users/" + user))).status()).isEqualTo(204);
		assertThat(asAdmin(Http.get(url("/api/users/" + user))).status()).isEqualTo(404);
		assertThat(asAdmin(Http.delete(url("/api/users/" + user))).status()).isEqualTo(404);
		assertThat(asAdmin(Http.delete(url("/api/users/" + ADMIN))).status()).isEqualTo(409);
	}

	@Test
	void usersApiWhenNoUsersManageRightThen403() {
		String user = newUser(newGroup("projects.read", "tokens.manage"));
		for (Http request : List.of(Http.get(url("/api/users")), Http.get(url("/api/groups")),
				Http.get(url("/api/rights")), Http.post(url("/api/groups")).json(Map.of("name", "x")),
				Http.patch(url("/api/users/" + ADMIN)).json(Map.of("enabled", false)))) {
			Http.Response response = request.basic(user, USER_PASSWORD).send();
			assertThat(response.status()).isEqualTo(403);
			assertThat(response.header("Content-Type")).contains("application/problem+json");
		}
	}

	@Test
	void usersApiWhenWrongPasswordThen401() {
		assertThat(Http.get(url("/api/users")).basic(ADMIN, "wrong").send().status()).isEqualTo(401);
	}

	@Test
	void usersApiWhenBearerTokenWithUsersManageThenCreatesServiceAccountsOnly() {
		String token = tokenFor(ADMIN);
		String name = "made-by-token-" + System.nanoTime();
		Http.Response created = Http.post(url("/api/users")).bearer(token).json(Map.of("username", name)).send();
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.json().get("serviceAccount").asBoolean()).isTrue();
		Http.Response withPassword = Http.post(url("/api/users"))
			.bearer(token)
			.json(Map.of("username", name + "-2", "password", "long-enough-password"))
			.send();
		assertThat(withPassword.status()).isEqualTo(403);
		assertThat(withPassword.json().get("detail").asString()).contains("password");
		assertThat(asAdmin(Http.get(url("/api/users/" + name + "-2"))).status()).isEqualTo(404);
	}

	@Test
	void groupsWhenCreateUpdateDeleteThenMembersFollow() {
		String group = newGroup("projects.read");
		String user = newUser(group);
		JsonNode read = asAdmin(Http.get(url("/api/groups/" + group))).json();
		assertThat(read.get("rights").values()).extracting(JsonNode::asString).containsExactly("projects.read");

		Http.Response updated = asAdmin(Http.put(url("/api/groups/" + group))
			.json(Map.of("name", group, "rights", List.of("projects.read", "projects.write"))));
		assertThat(updated.status()).isEqualTo(200);
		assertThat(asAdmin(Http.get(url("/api/users/" + user))).json().get("rights").size()).isEqualTo(2);

		assertThat(asAdmin(Http.delete(url("/api/groups/" + group))).status()).isEqualTo(204);
		assertThat(asAdmin(Http.get(url("/api/groups/" + group))).status()).isEqualTo(404);
		assertThat(asAdmin(Http.get(url("/api/users/" + user))).json().get("groups").size()).isZero();
	}

	@Test
	void groupsWhenBadInputThen400NamingFieldOr409() {
		String group = newGroup();
		assertBadField(asAdmin(Http.post(url("/api/groups")).json(Map.of("name", "x", "rights", List.of("root")))),
				"rights");
		assertBadField(asAdmin(Http.post(url("/api/groups")).json(Map.of("name", "{tag}"))), "name");
		assertBadField(asAdmin(Http.put(url("/api/groups/" + group)).json(Map.of("name", "renamed"))), "name");
		assertThat(asAdmin(Http.post(url("/api/groups")).json(Map.of("name", group))).status()).isEqualTo(409);
		assertThat(asAdmin(Http.put(url("/api/groups/nope")).json(Map.of("name", "nope"))).status()).isEqualTo(404);
		assertThat(asAdmin(Http.get(url("/api/groups"))).body()).doesNotContain("\"x\"");
	}

	@Test
	void rightsWhenListedThenCatalogFromConfiguration() {
		JsonNode rights = asAdmin(Http.get(url("/api/rights"))).json();
		assertThat(rights.values()).extracting((right) -> right.get("name").asString())
			.containsExactly("projects.read", "projects.write", "users.manage", "tokens.manage", "audit.read");
	}

	@Test
	void openApiWhenRequestedThenDocumentsTheApiWithoutSignIn() {
		Http.Response docs = Http.get(url("/v3/api-docs")).send();
		assertThat(docs.status()).isEqualTo(200);
		assertThat(docs.json().get("paths").propertyNames()).contains("/api/me/tokens", "/api/users/{username}/tokens",
				"/api/tokens/revoke", "/api/groups/{name}", "/api/me/tokens/{id}/rotate", "/api/tokens/self/rotate",
				"/api/users/{username}/tokens/{id}/rotate", "/api/audit", "/api/credentials/revoke", "/api/tokens",
				"/api/tokens/revoke-selection");
		assertThat(docs.json().get("paths").get("/api/tokens/self/rotate").get("post").get("summary").asString())
			.isEqualTo("Rotate the token that authenticates this call");
		assertThat(docs.body()).contains("allowedIps", "recentUses", "application/x-ndjson", "token-exchange");
		assertThat(Http.get(url("/swagger-ui/index.html")).send().status()).isEqualTo(200);
	}

	static void assertBadField(Http.Response response, String field) {
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.header("Content-Type")).contains("application/problem+json");
		assertThat(response.json().get("errors").values()).extracting((error) -> error.get("field").asString())
			.contains(field);
	}

}
