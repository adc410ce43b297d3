package io.latchkey.auth.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.auth.PortalSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Portal sessions (and so {@code /api/**} through them) follow the directory on every
 * request: disabled, deleted or re-created users lose their session, changed rights apply
 * at once, a password change ends the user's other sessions, sessions have an absolute
 * lifetime, and generating a token needs a recent password through the API as in the
 * portal.
 */
class LiveSessionTests extends AuthServerTestBase {

	@Test
	void sessionWhenUserDisabledThenNextApiCall401AndNextPageTheSignInPage() {
		String user = newUser(newGroup("users.manage"));
		PortalSession api = session().signedIn(user, USER_PASSWORD);
		PortalSession portal = session().signedIn(user, USER_PASSWORD);
		assertThat(api.api("GET", "/api/me", null).status()).isEqualTo(200);

		disable(user);

		Http.Response me = api.api("GET", "/api/me", null);
		assertThat(me.status()).isEqualTo(401);
		assertThat(api.api("GET", "/api/users", null).status()).isEqualTo(401);
		Http.Response page = portal.get("/account/tokens");
		assertThat(page.status()).isEqualTo(302);
		assertThat(page.header("Location")).endsWith("/login");
	}

	@Test
	void sessionWhenUserDeletedThenEnded() {
		String user = newUser();
		PortalSession session = session().signedIn(user, USER_PASSWORD);
		assertThat(asAdmin(Http.delete(url("/api/users/" + user))).status()).isEqualTo(204);
		assertThat(session.api("GET", "/api/me", null).status()).isEqualTo(401);
	}

	@Test
	void sessionWhenUserDeletedAndRecreatedUnderTheSameNameThenEndedEvenWithTheSamePassword() {
		String user = newUser();
		PortalSession session = session().signedIn(user, USER_PASSWORD);
		asAdmin(Http.delete(url("/api/users/" + user)));
		assertThat(asAdmin(Http.post(url("/api/users")).json(Map.of("username", user, "password", USER_PASSWORD)))
			.status()).isEqualTo(201);
		assertThat(session.api("GET", "/api/me", null).status()).isEqualTo(401);
	}

	@Test
	void sessionWhenRemovedFromGroupThenRightsGoneOnTheNextRequest() {
		String user = newUser(newGroup("users.manage"));
		PortalSession session = session().signedIn(user, USER_PASSWORD);
		assertThat(session.api("GET", "/api/users", null).status()).isEqualTo(200);
		assertThat(session.get("/admin/users").status()).isEqualTo(200);

		asAdmin(Http.patch(url("/api/users/" + user)).json(Map.of("groups", List.of())));

		assertThat(session.api("GET", "/api/users", null).status()).isEqualTo(403);
		assertThat(session.get("/admin/users").status()).isEqualTo(403);
		assertThat(session.api("GET", "/api/me", null).json().get("rights").size()).isZero();
	}

	@Test
	void sessionWhenGroupGainsRightThenItAppliesOnTheNextRequest() {
		String group = newGroup("projects.read");
		String user = newUser(group);
		PortalSession session = session().signedIn(user, USER_PASSWORD);
		assertThat(session.api("GET", "/api/users", null).status()).isEqualTo(403);

		asAdmin(Http.put(url("/api/groups/" + group))
			.json(Map.of("name", group, "rights", List.of("projects.read", "users.manage"))));

		assertThat(session.api("GET", "/api/users", null).status()).isEqualTo(200);
	}

	@Test
	void passwordChangeEndsTheUsersOtherSessionsButKeepsTheOneThatChangedIt() {
		String user = newUser(newGroup("users.manage"));
		PortalSession changer = session().signedIn(user, USER_PASSWORD);
		PortalSession other = session().signedIn(user, USER_PASSWORD);

		Http.Response changed = changer.api("PATCH", "/api/users/" + user, Map.of("password", "a-brand-new-password"));
		assertThat(changed.status()).as(changed.body()).isEqualTo(200);

		assertThat(changer.api("GET", "/api/me", null).status()).isEqualTo(200);
		assertThat(other.api("GET", "/api/me", null).status()).isEqualTo(401);
	}

	@Test
	void passwordChangeByAnAdministratorEndsEverySessionOfTheUser() {
		String user = newUser();
		PortalSession session = session().signedIn(user, USER_PASSWORD);
		asAdmin(Http.patch(url("/api/users/" + user)).json(Map.of("password", "reset-by-the-admin")));
		assertThat(session.api("GET", "/api/me", null).status()).isEqualTo(401);
	}

	@Test
	void sessionWhenOlderThanItsAbsoluteLifetimeThenEndedThoughNeverIdle() {
		String user = newUser();
		PortalSession session = session().signedIn(user, USER_PASSWORD);
		this.clock.advance(Duration.ofHours(11));
		assertThat(session.api("GET", "/api/me", null).status()).isEqualTo(200);
		this.clock.advance(Duration.ofHours(1).plusMinutes(1));
		assertThat(session.api("GET", "/api/me", null).status()).isEqualTo(401);
	}

	@Test
	void generateThroughApiWhenSessionPasswordOlderThanReauthenticationWindowThenForbidden() {
		String user = newUser();
		PortalSession session = session().signedIn(user, USER_PASSWORD);
		Http.Response fresh = session.api("POST", "/api/me/tokens", Map.of());
		assertThat(fresh.status()).as(fresh.body()).isEqualTo(201);

		this.clock.advance(Duration.ofMinutes(16));

		Http.Response stale = session.api("POST", "/api/me/tokens", Map.of());
		assertThat(stale.status()).isEqualTo(403);
		assertThat(stale.json().get("detail").asString()).contains("15 minutes");
	}

	@Test
	void generateThroughApiWhenHttpBasicThenFreshByDefinition() {
		String user = newUser();
		this.clock.advance(Duration.ofMinutes(16));
		assertThat(as(user, Http.post(url("/api/me/tokens")).json(Map.of())).status()).isEqualTo(201);
	}

	@Test
	void generateInPortalWhenPasswordConfirmedAgainThenApiGenerateWorksAgainToo() {
		String user = newUser();
		PortalSession session = session().signedIn(user, USER_PASSWORD);
		this.clock.advance(Duration.ofMinutes(16));
		String page = session.get("/account/tokens").body();
		Http.Response generated = session.form("/account/tokens",
				Map.of("nonce", PortalSession.nonce(page), "password", USER_PASSWORD, "lifetimeDays", "7"));
		assertThat(generated.body()).contains("id=\"new-token\"");
		assertThat(session.api("POST", "/api/me/tokens", Map.of()).status()).isEqualTo(201);
	}

	private void disable(String user) {
		assertThat(asAdmin(Http.patch(url("/api/users/" + user)).json(Map.of("enabled", false))).status())
			.isEqualTo(200);
	}

}
