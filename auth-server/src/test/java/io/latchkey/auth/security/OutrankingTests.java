package io.latchkey.auth.security;

import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule 1, outranking: reading, changing, disabling, deleting, or generating, rotating and
 * listing a token for a user needs every right that user holds, whatever the scopes asked
 * for. Revoking never needs it: it only removes access.
 */
class OutrankingTests extends AuthServerTestBase {

	@Test
	void tokenManagerWhenGeneratingForUserWhoOutranksThemEvenNarrowedToTokensSelfThenForbidden() {
		String helpdesk = newUser(newGroup("tokens.manage"));
		int before = asAdmin(Http.get(url("/api/users/admin/tokens?size=100"))).json().size();
		Http.Response response = as(helpdesk,
				Http.post(url("/api/users/admin/tokens")).json(Map.of("scopes", List.of("tokens.self"))));
		assertThat(response.status()).as(response.body()).isEqualTo(403);
		assertThat(response.json().get("rule").asString()).isEqualTo("outrank");
		assertThat(asAdmin(Http.get(url("/api/users/admin/tokens?size=100"))).json().size()).isEqualTo(before);
	}

	@Test
	void tokenManagerWhenGeneratingNarrowedTokenForUserHoldingMoreThenForbidden() {
		String helpdesk = newUser(newGroup("tokens.manage", "projects.read"));
		String integration = newUser(newGroup("projects.read", "projects.write"));
		Http.Response response = as(helpdesk, Http.post(url("/api/users/" + integration + "/tokens"))
			.json(Map.of("scopes", List.of("projects.read"))));
		assertThat(response.status()).isEqualTo(403);
		assertThat(asAdmin(Http.get(url("/api/users/" + integration + "/tokens"))).json().size()).isZero();
	}

	@Test
	void userManagerWhenReadingUserWhoOutranksThemThenForbiddenAndNotListed() {
		String manager = newUser(newGroup("users.manage"));
		Http.Response response = as(manager, Http.get(url("/api/users/admin")));
		assertThat(response.status()).as(response.body()).isEqualTo(403);
		assertThat(response.json().get("rule").asString()).isEqualTo("outrank");
		assertThat(as(manager, Http.get(url("/api/users?size=100"))).body()).doesNotContain("\"username\":\"admin\"");
		assertThat(as(manager, Http.get(url("/api/users/" + manager))).status()).isEqualTo(200);
	}

	@Test
	void tokenManagerWhenListingTokensOfUserWhoOutranksThemThenForbidden() {
		String helpdesk = newUser(newGroup("tokens.manage"));
		assertThat(as(helpdesk, Http.get(url("/api/users/admin/tokens"))).status()).isEqualTo(403);
	}

	@Test
	void tokenManagerWhenRevokingTokenOfUserWhoOutranksThemThenAllowed() {
		String helpdesk = newUser(newGroup("tokens.manage"));
		Http.Response own = asAdmin(Http.post(url("/api/me/tokens")).json(Map.of()));
		String id = own.json().get("id").asString();
		assertThat(as(helpdesk, Http.delete(url("/api/users/admin/tokens/" + id))).status()).isEqualTo(204);
		assertThat(introspect(own.json().get("token").asString()).body()).isEqualTo("{\"active\":false}");
	}

}
