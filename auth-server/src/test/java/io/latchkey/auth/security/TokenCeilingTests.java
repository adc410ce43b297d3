package io.latchkey.auth.security;

import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule 2: a token made for someone else stores its ceiling, the maker's rights at
 * creation within the requested scopes, and never carries more, however its owner is
 * promoted later. Lists show the ceiling.
 */
class TokenCeilingTests extends AuthServerTestBase {

	@Test
	void tokenMadeForSomeoneElseWhenOwnerIsPromotedThenScopeStaysWithinTheMakersRights() {
		String helpdesk = newUser(newGroup("tokens.manage", "projects.read"));
		String newcomer = newUser();
		Http.Response made = as(helpdesk, Http.post(url("/api/users/" + newcomer + "/tokens")).json(Map.of()));
		assertThat(made.status()).as(made.body()).isEqualTo(201);
		String copy = made.json().get("token").asString();
		asAdmin(Http.patch(url("/api/users/" + newcomer))
			.json(Map.of("groups", List.of(newGroup("projects.read", "projects.write", "users.manage")))));
		JsonNode claims = introspect(copy).json();
		assertThat(claims.get("active").asBoolean()).isTrue();
		assertThat(claims.get("scope").asString()).isEqualTo("projects.read");
		assertThat(Http.get(url("/api/me")).bearer(copy).send().json().get("rights").toString())
			.doesNotContain("users.manage");
	}

	@Test
	void tokenMadeForSomeoneElseWithScopesThenCeilingIsTheirIntersectionAndListed() {
		String maker = newUser(newGroup("tokens.manage", "projects.read", "projects.write"));
		String owner = newUser(newGroup("projects.read"));
		Http.Response made = as(maker, Http.post(url("/api/users/" + owner + "/tokens"))
			.json(Map.of("scopes", List.of("projects.read", "projects.write"))));
		assertThat(made.status()).as(made.body()).isEqualTo(201);
		assertThat(made.json().get("ceiling").toString()).contains("projects.read")
			.contains("projects.write")
			.doesNotContain("tokens.manage");
		JsonNode listed = asAdmin(Http.get(url("/api/users/" + owner + "/tokens"))).json().get(0);
		assertThat(listed.get("ceiling").toString()).contains("projects.write").doesNotContain("tokens.manage");
		asAdmin(Http.patch(url("/api/users/" + owner)).json(Map.of("groups", List.of(newGroup("projects.write")))));
		assertThat(introspect(made.json().get("token").asString()).json().get("scope").asString())
			.isEqualTo("projects.write");
	}

	@Test
	void ownTokenWhenOwnerIsPromotedThenFollowsTheOwnersRightsWithoutCeiling() {
		String user = newUser();
		Http.Response made = Http.post(url("/api/me/tokens")).basic(user, USER_PASSWORD).json(Map.of()).send();
		assertThat(made.json().get("ceiling").isNull()).isTrue();
		asAdmin(Http.patch(url("/api/users/" + user)).json(Map.of("groups", List.of(newGroup("projects.read")))));
		assertThat(introspect(made.json().get("token").asString()).json().get("scope").asString())
			.isEqualTo("projects.read");
	}

}
