package io.latchkey.auth.security;

import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a bearer token may never do (set a password, mint a token) and what a narrowed
 * token may do: only what its scopes name. {@code tokens.self} is the scope that lets a
 * narrowed token read {@code /api/me} and list and revoke its owner's tokens.
 */
class BearerTokenLimitsTests extends AuthServerTestBase {

	@Test
	void createUserWithPasswordWhenBearerTokenThenForbiddenAndNothingStored() {
		String token = tokenFor(ADMIN);
		String name = "pw-by-token-" + System.nanoTime();
		Http.Response response = Http.post(url("/api/users"))
			.bearer(token)
			.json(Map.of("username", name, "password", "long-enough-password"))
			.send();
		assertThat(response.status()).isEqualTo(403);
		assertThat(asAdmin(Http.get(url("/api/users/" + name))).status()).isEqualTo(404);
	}

	@Test
	void changePasswordWhenBearerTokenThenForbiddenAndOldPasswordStillWorks() {
		String user = newUser();
		String token = tokenFor(ADMIN);
		Http.Response response = Http.patch(url("/api/users/" + user))
			.bearer(token)
			.json(Map.of("password", "set-by-a-token"))
			.send();
		assertThat(response.status()).isEqualTo(403);
		assertThat(as(user, Http.get(url("/api/me"))).status()).isEqualTo(200);
		assertThat(Http.get(url("/api/me")).basic(user, "set-by-a-token").send().status()).isEqualTo(401);
	}

	@Test
	void createServiceAccountWhenBearerTokenWithUsersManageThenCreatedAndItCannotSignIn() {
		String token = tokenFor(ADMIN);
		String group = newGroup("projects.read");
		String name = "svc-" + System.nanoTime();
		Http.Response created = Http.post(url("/api/users"))
			.bearer(token)
			.json(Map.of("username", name, "displayName", "CI bot", "groups", List.of(group)))
			.send();
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.json().get("serviceAccount").asBoolean()).isTrue();
		Http.Response changed = Http.patch(url("/api/users/" + name))
			.bearer(token)
			.json(Map.of("displayName", "CI robot"))
			.send();
		assertThat(changed.status()).isEqualTo(200);
		assertThat(Http.get(url("/api/me")).basic(name, "").send().status()).isEqualTo(401);
		assertThat(session().signIn(name, "anything-at-all").header("Location")).contains("/login?error");
		String itsToken = tokenFor(name);
		assertThat(introspect(itsToken).json().get("scope").asString()).isEqualTo("projects.read");
	}

	@Test
	void narrowedTokenWhenMyTokensOrMeThenForbidden() {
		String user = newUser(newGroup("projects.read"));
		String token = generateToken(user, Map.of("scopes", List.of("projects.read"))).get("token").asString();
		for (String path : List.of("/api/me/tokens", "/api/me")) {
			Http.Response response = Http.get(url(path)).bearer(token).send();
			assertThat(response.status()).as(path).isEqualTo(403);
			assertThat(response.header("WWW-Authenticate")).as(path).contains("insufficient_scope");
		}
		Http.Response revoke = Http.delete(url("/api/me/tokens/whatever")).bearer(token).send();
		assertThat(revoke.status()).isEqualTo(403);
	}

	@Test
	void narrowedTokenWhenRightOutsideItsScopesThenForbiddenThoughTheOwnerHoldsIt() {
		String token = generateToken(ADMIN, Map.of("scopes", List.of("projects.read"))).get("token").asString();
		assertThat(Http.get(url("/api/users")).bearer(token).send().status()).isEqualTo(403);
		assertThat(Http.get(url("/api/users/admin/tokens")).bearer(token).send().status()).isEqualTo(403);
	}

	@Test
	void narrowedTokenWithSelfScopeThenListsAndRevokesItsOwnersTokens() {
		String user = newUser(newGroup("projects.read"));
		String other = generateToken(user, Map.of()).get("id").asString();
		JsonNode self = generateToken(user, Map.of("scopes", List.of("projects.read", "tokens.self")));
		String token = self.get("token").asString();
		assertThat(introspect(token).json().get("scope").asString()).isEqualTo("projects.read tokens.self");
		Http.Response listed = Http.get(url("/api/me/tokens")).bearer(token).send();
		assertThat(listed.status()).isEqualTo(200);
		assertThat(listed.json().size()).isEqualTo(2);
		assertThat(Http.delete(url("/api/me/tokens/" + other)).bearer(token).send().status()).isEqualTo(204);
		assertThat(Http.post(url("/api/me/tokens")).bearer(token).json(Map.of()).send().status()).isEqualTo(403);
	}

	@Test
	void tokenWithoutNarrowingThenListsItsOwnersTokensAsItsOwnerCould() {
		String user = newUser(newGroup("projects.read"));
		String token = tokenFor(user);
		assertThat(Http.get(url("/api/me/tokens")).bearer(token).send().status()).isEqualTo(200);
		assertThat(Http.get(url("/api/me")).bearer(token).send().json().get("authenticatedBy").asString())
			.isEqualTo("token");
	}

}
