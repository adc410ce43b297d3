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
 * Rule 4: one freshness rule for every grant. A session whose password is older than
 * {@code reauthenticate-after} (15 minutes) may not set a password, create a password
 * account, change groups or rights, nor generate or rotate a token; the API answers a 403
 * problem naming the rule and stores nothing, the portal asks for the password again.
 */
class FreshPasswordTests extends AuthServerTestBase {

	@Test
	void staleSessionWhenCreatingPasswordAccountInAdministratorsThenForbiddenAndNothingStored() {
		PortalSession admin = staleAdminSession();
		String name = "late-" + System.nanoTime();
		Http.Response response = admin.api("POST", "/api/users",
				Map.of("username", name, "password", "some-long-password", "groups", List.of("Administrators")));
		assertThat(response.status()).as(response.body()).isEqualTo(403);
		assertThat(response.json().get("rule").asString()).isEqualTo("fresh-password");
		assertThat(asAdmin(Http.get(url("/api/users/" + name))).status()).isEqualTo(404);
	}

	@Test
	void staleSessionWhenChangingGroupsRightsOrPasswordsThenForbidden() {
		String user = newUser();
		String group = newGroup("projects.read");
		PortalSession admin = staleAdminSession();
		assertThat(admin.api("PATCH", "/api/users/" + user, Map.of("groups", List.of(group))).status()).isEqualTo(403);
		assertThat(admin.api("PATCH", "/api/users/" + user, Map.of("password", "another-password")).status())
			.isEqualTo(403);
		assertThat(admin.api("PUT", "/api/groups/" + group, Map.of("name", group, "rights", List.of("projects.write")))
			.status()).isEqualTo(403);
		assertThat(admin
			.api("POST", "/api/groups", Map.of("name", "late-" + System.nanoTime(), "rights", List.of("projects.read")))
			.status()).isEqualTo(403);
		assertThat(asAdmin(Http.get(url("/api/groups/" + group))).json().get("rights").toString())
			.doesNotContain("projects.write");
		assertThat(admin.api("PATCH", "/api/users/" + user, Map.of("displayName", "Renamed")).status())
			.as("not a grant")
			.isEqualTo(200);
	}

	@Test
	void staleSessionInThePortalWhenCreatingUserThenAskedForThePasswordAndCreatedOnceConfirmed() {
		PortalSession admin = staleAdminSession();
		String name = "portal-" + System.nanoTime();
		admin.get("/admin/users/new");
		Http.Response refused = admin.form("/admin/users/new",
				Map.of("username", name, "password", "a-long-password", "groups", "Administrators"));
		assertThat(refused.body()).contains("id=\"current-password\"");
		assertThat(asAdmin(Http.get(url("/api/users/" + name))).status()).isEqualTo(404);
		Http.Response created = admin.form("/admin/users/new", Map.of("username", name, "password", "a-long-password",
				"groups", "Administrators", "currentPassword", ADMIN_PASSWORD));
		assertThat(created.status()).as(created.body()).isEqualTo(302);
		assertThat(asAdmin(Http.get(url("/api/users/" + name))).status()).isEqualTo(200);
	}

	private PortalSession staleAdminSession() {
		PortalSession admin = session().signedIn(ADMIN, ADMIN_PASSWORD);
		this.clock.advance(Duration.ofMinutes(16));
		admin.get("/account/tokens");
		return admin;
	}

}
