package io.latchkey.auth.security;

import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.auth.PortalSession;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nobody acts beyond their own rights: a token for another user, a group's rights, a
 * user's groups and any change to a user who holds more all need the actor to hold every
 * right involved. Each refusal is a 403 problem and changes nothing.
 */
class NoEscalationTests extends AuthServerTestBase {

	@Test
	void generateForUserWhenTargetHasRightActorLacksThenForbidden() {
		String helpdesk = newUser(newGroup("tokens.manage"));
		int before = tokenCount(ADMIN);
		Http.Response response = as(helpdesk, Http.post(url("/api/users/admin/tokens")).json(Map.of()));
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asString()).contains("rights you do not hold")
			.contains("users.manage");
		assertThat(tokenCount(ADMIN)).isEqualTo(before);
	}

	@Test
	void generateForUserWhenScopesIncludeRightActorLacksThenForbidden() {
		String helpdesk = newUser(newGroup("tokens.manage", "projects.read"));
		String integration = newUser(newGroup("projects.read", "projects.write"));
		Http.Response response = as(helpdesk, Http.post(url("/api/users/" + integration + "/tokens"))
			.json(Map.of("scopes", List.of("projects.read", "projects.write"))));
		assertThat(response.status()).isEqualTo(403);
		assertThat(tokenCount(integration)).isZero();
	}

	@Test
	void generateForUserWhenScopesNarrowThenCreatedWithOnlyThose() {
		String helpdesk = newUser(newGroup("tokens.manage", "projects.read", "projects.write"));
		String integration = newUser(newGroup("projects.read", "projects.write"));
		Http.Response response = as(helpdesk, Http.post(url("/api/users/" + integration + "/tokens"))
			.json(Map.of("scopes", List.of("projects.read"))));
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		JsonNode claims = introspect(response.json().get("token").asString()).json();
		assertThat(claims.get("scope").asString()).isEqualTo("projects.read");
	}

	@Test
	void generateForUserWhenTargetHoldsOnlyActorsRightsThenCreatedWithoutNarrowing() {
		String helpdesk = newUser(newGroup("tokens.manage", "projects.read"));
		String integration = newUser(newGroup("projects.read"));
		Http.Response response = as(helpdesk,
				Http.post(url("/api/users/" + integration + "/tokens")).json(Map.of("description", "ci")));
		assertThat(response.status()).as(response.body()).isEqualTo(201);
	}

	@Test
	void generateOnAnotherUsersPortalPageWhenTargetOutranksThenForbiddenAndNothingStored() {
		String helpdesk = newUser(newGroup("tokens.manage"));
		int before = tokenCount(ADMIN);
		PortalSession portal = session().signedIn(helpdesk, USER_PASSWORD);
		assertThat(portal.get("/admin/users/admin/tokens").status()).as("the page itself").isEqualTo(403);
		String own = portal.get("/account/tokens").body();
		Http.Response generated = portal.form("/admin/users/admin/tokens",
				Map.of("nonce", PortalSession.nonce(own), "description", "escalation", "lifetimeDays", "7"));
		assertThat(generated.status()).isEqualTo(403);
		assertThat(generated.body()).doesNotContain("id=\"new-token\"");
		assertThat(tokenCount(ADMIN)).isEqualTo(before);
	}

	@Test
	void createGroupWhenRightActorLacksThenForbidden() {
		String manager = newUser(newGroup("users.manage"));
		String name = "escalate-" + System.nanoTime();
		Http.Response response = as(manager,
				Http.post(url("/api/groups")).json(Map.of("name", name, "rights", List.of("tokens.manage"))));
		assertThat(response.status()).isEqualTo(403);
		assertThat(asAdmin(Http.get(url("/api/groups/" + name))).status()).isEqualTo(404);
		Http.Response own = as(manager,
				Http.post(url("/api/groups")).json(Map.of("name", name, "rights", List.of("users.manage"))));
		assertThat(own.status()).isEqualTo(201);
	}

	@Test
	void updateGroupWhenAddingRightActorLacksThenForbiddenAndUnchanged() {
		String managers = newGroup("users.manage");
		String manager = newUser(managers);
		String group = newGroup("users.manage");
		Http.Response response = as(manager, Http.put(url("/api/groups/" + group))
			.json(Map.of("name", group, "rights", List.of("users.manage", "tokens.manage"))));
		assertThat(response.status()).isEqualTo(403);
		assertThat(rightsOfGroup(group)).containsExactly("users.manage");
	}

	@Test
	void updateGroupWhenItHoldsRightActorLacksThenForbiddenEvenToRemoveIt() {
		String manager = newUser(newGroup("users.manage"));
		String group = newGroup("projects.write");
		Http.Response response = as(manager,
				Http.put(url("/api/groups/" + group)).json(Map.of("name", group, "rights", List.of())));
		assertThat(response.status()).isEqualTo(403);
		assertThat(as(manager, Http.delete(url("/api/groups/" + group))).status()).isEqualTo(403);
		assertThat(rightsOfGroup(group)).containsExactly("projects.write");
	}

	@Test
	void addSelfToGroupWhenActorLacksItsRightsThenForbidden() {
		String manager = newUser(newGroup("users.manage"));
		String admins = newGroup("users.manage", "tokens.manage", "projects.read", "projects.write");
		Http.Response response = as(manager,
				Http.patch(url("/api/users/" + manager)).json(Map.of("groups", List.of(admins))));
		assertThat(response.status()).isEqualTo(403);
		assertThat(asAdmin(Http.get(url("/api/users/" + manager))).json().get("groups").toString())
			.doesNotContain(admins);
	}

	@Test
	void createUserInGroupWhenActorLacksItsRightsThenForbidden() {
		String manager = newUser(newGroup("users.manage"));
		String writers = newGroup("projects.write");
		String name = "new-" + System.nanoTime();
		Http.Response response = as(manager, Http.post(url("/api/users"))
			.json(Map.of("username", name, "password", "long-enough-password", "groups", List.of(writers))));
		assertThat(response.status()).isEqualTo(403);
		assertThat(asAdmin(Http.get(url("/api/users/" + name))).status()).isEqualTo(404);
	}

	@Test
	void changeUserWhoOutranksActorThenForbiddenPasswordGroupsStatusAndDeletion() {
		String managers = newGroup("users.manage");
		String manager = newUser(managers);
		String writer = newUser(newGroup("projects.write"));
		for (Http request : List.of(
				Http.patch(url("/api/users/" + writer)).json(Map.of("password", "taken-over-password")),
				Http.patch(url("/api/users/" + writer)).json(Map.of("enabled", false)),
				Http.patch(url("/api/users/" + writer)).json(Map.of("displayName", "Renamed")),
				Http.delete(url("/api/users/" + writer)))) {
			assertThat(as(manager, request).status()).isEqualTo(403);
		}
		assertThat(Http.get(url("/api/me")).basic(writer, USER_PASSWORD).send().status()).isEqualTo(200);
		assertThat(
				asAdmin(Http.patch(url("/api/users/" + writer)).json(Map.of("password", "reset-by-admin-pw"))).status())
			.isEqualTo(200);
		assertThat(Http.get(url("/api/me")).basic(writer, "reset-by-admin-pw").send().status()).isEqualTo(200);
	}

	@Test
	void changeUserWithinActorsRightsThenAllowed() {
		String manager = newUser(newGroup("users.manage", "projects.read"));
		String reader = newUser(newGroup("projects.read"));
		Http.Response response = as(manager,
				Http.patch(url("/api/users/" + reader)).json(Map.of("displayName", "Reader", "enabled", false)));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
	}

	private int tokenCount(String username) {
		return asAdmin(Http.get(url("/api/users/" + username + "/tokens?size=100"))).json().size();
	}

	private List<String> rightsOfGroup(String group) {
		return asAdmin(Http.get(url("/api/groups/" + group))).json()
			.get("rights")
			.values()
			.stream()
			.map(JsonNode::asString)
			.toList();
	}

}
