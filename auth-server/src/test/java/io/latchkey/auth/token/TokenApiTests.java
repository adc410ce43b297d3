package io.latchkey.auth.token;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.authorization.token.LastUseRecorder;
import io.latchkey.core.TokenFormat;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tokens API over HTTP: shapes, who may do what, and bad input that changes nothing.
 */
class TokenApiTests extends AuthServerTestBase {

	@Autowired
	private LastUseRecorder lastUses;

	@Test
	void generateWhenPasswordAuthenticatedThenFullTokenOnceNoStore() {
		String user = newUser(newGroup("projects.read"));
		Http.Response response = Http.post(url("/api/me/tokens"))
			.basic(user, USER_PASSWORD)
			.json(Map.of("description", "CI pipeline", "scopes", List.of("projects.read")))
			.send();
		assertThat(response.status()).isEqualTo(201);
		assertThat(response.header("Cache-Control")).contains("no-store");
		JsonNode body = response.json();
		String token = body.get("token").asString();
		assertThat(token).matches("lkp_[0-9A-Za-z]{36}");
		assertThat(body.get("hint").asString()).isEqualTo("lkp_…" + token.substring(token.length() - 4));
		assertThat(body.get("description").asString()).isEqualTo("CI pipeline");
		assertThat(body.get("scopes").values()).extracting(JsonNode::asString).containsExactly("projects.read");
		assertThat(body.get("createdBy").asString()).isEqualTo(user);
		assertThat(body.has("createdAt")).isTrue();
		assertThat(body.has("expiresAt")).isTrue();

		Http.Response list = Http.get(url("/api/me/tokens")).basic(user, USER_PASSWORD).send();
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.body()).doesNotContain(token).doesNotContain(token.substring(4, 36));
		JsonNode listed = list.json().get(0);
		assertThat(listed.get("id").asString()).isEqualTo(body.get("id").asString());
		assertThat(listed.has("token")).isFalse();
		assertThat(listed.get("hint").asString()).isEqualTo(body.get("hint").asString());
		assertThat(listed.has("lastUsedAt")).isTrue();
	}

	@Test
	void generateWhenNoApprovalConfiguredThenTokenAtOnceWhateverItsRightsAndLifetime() {
		String user = newUser(newGroup("projects.read", "projects.write", "tokens.manage"));
		Http.Response response = as(user,
				Http.post(url("/api/me/tokens"))
					.json(Map.of("scopes", List.of("projects.write", "tokens.manage"), "expiresAt",
							this.clock.instant().plus(Duration.ofDays(300)).toString())));

		assertThat(response.status()).as(response.body()).isEqualTo(201);
		assertThat(response.json().get("token").asString()).startsWith("lkp_");
		assertThat(as(user, Http.get(url("/api/me/token-requests"))).json()).isEmpty();
	}

	@Test
	void generateWhenNoExpiryThenDefaultLifetime() {
		String user = newUser();
		JsonNode body = generateToken(user, Map.of());
		java.time.Instant expiresAt = java.time.Instant.parse(body.get("expiresAt").asString());
		assertThat(expiresAt).isCloseTo(this.clock.instant().plus(Duration.ofDays(30)),
				org.assertj.core.api.Assertions.within(1, ChronoUnit.SECONDS));
	}

	@Test
	void generateWhenBearerTokenThenForbiddenSoStolenTokensCannotMintMore() {
		String token = tokenFor(ADMIN);
		Http.Response response = Http.post(url("/api/me/tokens")).bearer(token).json("{}").send();
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.header("WWW-Authenticate")).contains("insufficient_scope");
		assertThat(response.header("Content-Type")).contains("application/problem+json");
		Http.Response forOther = Http.post(url("/api/users/" + newUser() + "/tokens")).bearer(token).json("{}").send();
		assertThat(forOther.status()).isEqualTo(403);
	}

	@Test
	void generateWhenDescriptionTooLongThen400NamingFieldAndNothingStored() {
		String user = newUser();
		Http.Response response = Http.post(url("/api/me/tokens"))
			.basic(user, USER_PASSWORD)
			.json(Map.of("description", "x".repeat(256)))
			.send();
		assertBadField(response, "description");
		assertThat(listOf(user)).isEmpty();
	}

	@Test
	void generateWhenExpiryInPastOrBeyondMaximumThen400NamingField() {
		String user = newUser();
		assertBadField(generate(user, Map.of("expiresAt", this.clock.instant().minusSeconds(1).toString())),
				"expiresAt");
		assertBadField(generate(user, Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(366)).toString())),
				"expiresAt");
		assertBadField(generate(user, Map.of("expiresAt", "next tuesday")), "expiresAt");
		assertThat(listOf(user)).isEmpty();
	}

	@Test
	void generateWhenUnknownScopeThen400NamingField() {
		String user = newUser();
		assertBadField(generate(user, Map.of("scopes", List.of("projects.delete"))), "scopes");
		assertBadField(generate(user, Map.of("scopes", "projects.read")), "scopes");
		assertThat(listOf(user)).isEmpty();
	}

	@Test
	void generateWhenBodyNotJsonThen400Problem() {
		String user = newUser();
		Http.Response response = Http.post(url("/api/me/tokens")).basic(user, USER_PASSWORD).json("{not json").send();
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("Content-Type")).contains("application/problem+json");
		assertThat(listOf(user)).isEmpty();
	}

	@Test
	void revokeWhenOwnTokenThenListedAsRevokedAndSecondRevoke404() {
		String user = newUser();
		String id = generateToken(user, Map.of()).get("id").asString();
		assertThat(Http.delete(url("/api/me/tokens/" + id)).basic(user, USER_PASSWORD).send().status()).isEqualTo(204);
		assertThat(listOf(user)).singleElement().satisfies((listed) -> {
			assertThat(listed.get("id").asString()).isEqualTo(id);
			assertThat(listed.get("status").asString()).isEqualTo("revoked");
			assertThat(listed.get("revocationReason").asString()).isEqualTo("requested");
			assertThat(listed.get("revokedBy").asString()).isEqualTo(user);
			assertThat(listed.get("revokedAt").isNull()).isFalse();
		});
		Http.Response again = Http.delete(url("/api/me/tokens/" + id)).basic(user, USER_PASSWORD).send();
		assertThat(again.status()).isEqualTo(404);
		assertThat(again.header("Content-Type")).contains("application/problem+json");
	}

	@Test
	void revokeWhenSomeoneElsesTokenThroughMeThen404AndTokenStillActive() {
		String owner = newUser();
		String stranger = newUser();
		JsonNode token = generateToken(owner, Map.of());
		Http.Response response = Http.delete(url("/api/me/tokens/" + token.get("id").asString()))
			.basic(stranger, USER_PASSWORD)
			.send();
		assertThat(response.status()).isEqualTo(404);
		assertThat(introspect(token.get("token").asString()).json().get("active").asBoolean()).isTrue();
		assertThat(Http.get(url("/api/me/tokens")).basic(stranger, USER_PASSWORD).send().json().size()).isZero();
	}

	@Test
	void userTokensWhenNoTokensManageRightThenForbidden() {
		String user = newUser(newGroup("users.manage", "projects.read"));
		String other = newUser();
		assertThat(Http.get(url("/api/users/" + other + "/tokens")).basic(user, USER_PASSWORD).send().status())
			.isEqualTo(403);
		assertThat(
				Http.post(url("/api/users/" + other + "/tokens")).basic(user, USER_PASSWORD).json("{}").send().status())
			.isEqualTo(403);
		assertThat(Http.delete(url("/api/users/" + other + "/tokens")).basic(user, USER_PASSWORD).send().status())
			.isEqualTo(403);
		assertThat(Http.post(url("/api/tokens/revoke"))
			.basic(user, USER_PASSWORD)
			.json(Map.of("token", "x"))
			.send()
			.status()).isEqualTo(403);
	}

	@Test
	void userTokensWhenAdministratorThenGenerateListRevokeOneAndAll() {
		String user = newUser();
		JsonNode first = generateToken(user, Map.of("description", "one"));
		JsonNode second = generateToken(user, Map.of("description", "two"));
		assertThat(first.get("createdBy").asString()).isEqualTo(ADMIN);
		Http.Response list = asAdmin(Http.get(url("/api/users/" + user + "/tokens")));
		assertThat(list.json().size()).isEqualTo(2);

		assertThat(asAdmin(Http.delete(url("/api/users/" + user + "/tokens/" + first.get("id").asString()))).status())
			.isEqualTo(204);
		assertThat(introspect(first.get("token").asString()).body()).isEqualTo("{\"active\":false}");
		assertThat(introspect(second.get("token").asString()).json().get("active").asBoolean()).isTrue();

		generateToken(user, Map.of());
		Http.Response all = asAdmin(Http.delete(url("/api/users/" + user + "/tokens")));
		assertThat(all.status()).isEqualTo(200);
		assertThat(all.json().get("revoked").asInt()).isEqualTo(2);
		assertThat(introspect(second.get("token").asString()).body()).isEqualTo("{\"active\":false}");
		assertThat(listOf(user)).hasSize(3)
			.allSatisfy((listed) -> assertThat(listed.get("status").asString()).isEqualTo("revoked"));
	}

	@Test
	void userTokensWhenUnknownUserThen404() {
		assertThat(asAdmin(Http.get(url("/api/users/nobody-here/tokens"))).status()).isEqualTo(404);
		assertThat(asAdmin(Http.post(url("/api/users/nobody-here/tokens")).json("{}")).status()).isEqualTo(404);
	}

	@Test
	void generateWhenOwnerDisabledThen409() {
		String user = newUser();
		asAdmin(Http.patch(url("/api/users/" + user)).json(Map.of("enabled", false)));
		assertThat(asAdmin(Http.post(url("/api/users/" + user + "/tokens")).json("{}")).status()).isEqualTo(409);
	}

	@Test
	void revokeLeakedWhenTokenExistsOrNotThenSameAnswerAndTokenInactive() {
		String user = newUser();
		String token = tokenFor(user);
		Http.Response known = asAdmin(Http.post(url("/api/tokens/revoke")).json(Map.of("token", token)));
		Http.Response unknown = asAdmin(
				Http.post(url("/api/tokens/revoke")).json(Map.of("token", new TokenFormat("lkp").generate())));
		Http.Response garbage = asAdmin(Http.post(url("/api/tokens/revoke")).json(Map.of("token", "not-a-token")));
		assertThat(List.of(known.status(), unknown.status(), garbage.status())).containsOnly(204);
		assertThat(known.body()).isEqualTo(unknown.body()).isEqualTo(garbage.body());
		assertThat(introspect(token).body()).isEqualTo("{\"active\":false}");
	}

	@Test
	void revokeLeakedWhenTokenMissingThen400NamingField() {
		assertBadField(asAdmin(Http.post(url("/api/tokens/revoke")).json("{}")), "token");
	}

	@Test
	void managementApiWhenBearerTokenOfAdministratorThenWorksExceptGenerating() {
		String token = tokenFor(ADMIN);
		String user = newUser();
		Http.Response list = Http.get(url("/api/users/" + user + "/tokens")).bearer(token).send();
		assertThat(list.status()).isEqualTo(200);
		Http.Response me = Http.get(url("/api/me")).bearer(token).send();
		assertThat(me.json().get("authenticatedBy").asString()).isEqualTo("token");
	}

	@Test
	void managementApiWhenBearerTokenNarrowedThenOnlyItsScopes() {
		String token = generateToken(ADMIN, Map.of("scopes", List.of("projects.read"))).get("token").asString();
		Http.Response response = Http.get(url("/api/users")).bearer(token).send();
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.header("WWW-Authenticate")).contains("insufficient_scope");
	}

	@Test
	void managementApiWhenInvalidBearerThen401InvalidToken() {
		Http.Response response = Http.get(url("/api/me")).bearer(new TokenFormat("lkp").generate()).send();
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).contains("Bearer").contains("invalid_token");
	}

	@Test
	void managementApiWhenNoCredentialsThen401WithChallenges() {
		Http.Response response = Http.get(url("/api/me/tokens")).send();
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).contains("Bearer").contains("Basic");
		assertThat(response.header("Content-Type")).contains("application/problem+json");
	}

	@Test
	void managementApiWhenTokenInUrlThenRefusedBeforeAnythingLogsIt() {
		String token = tokenFor(ADMIN);
		Http.Response query = Http.get(url("/api/me?access_token=" + token)).send();
		assertThat(query.status()).isEqualTo(400);
		assertThat(query.body()).contains("Authorization header").doesNotContain(token);
		assertThat(Http.get(url("/api/me?q=" + token)).basic(ADMIN, ADMIN_PASSWORD).send().status()).isEqualTo(400);
		assertThat(Http.get(url("/api/users/" + token + "/tokens")).basic(ADMIN, ADMIN_PASSWORD).send().status())
			.isEqualTo(400);
	}

	@Test
	void managementApiWhenTokenInUrlPercentEncodedThenStillRefused() {
		String token = tokenFor(ADMIN);
		String body = token.substring(4);
		for (String query : List.of("q=lkp%5F" + body, "q=lkp%5f" + body, "q=%6Ckp_" + body, "q=lkp%255F" + body,
				"access%5Ftoken=" + body, "q=LKP_" + body)) {
			Http.Response response = Http.get(url("/api/me?" + query)).basic(ADMIN, ADMIN_PASSWORD).send();
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.body()).as(query).doesNotContain(body);
		}
		assertThat(Http.get(url("/api/users/lkp%5F" + body + "/tokens")).basic(ADMIN, ADMIN_PASSWORD).send().status())
			.isEqualTo(400);
	}

	@Test
	void managementApiWhenTokenInFormBodyThenNotAccepted() {
		String token = tokenFor(ADMIN);
		Http.Response response = Http.get(url("/api/me")).form(Map.of("access_token", token)).send();
		assertThat(response.status()).isEqualTo(401);
	}

	@Test
	void lastUsedWhenTokenUsedThenRecordedAtMostOncePerInterval() {
		String user = newUser();
		String token = tokenFor(user);
		introspect(token);
		String first = this.clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
		assertThat(lastUsedEventually(user, first).get("lastUsedFrom").asString()).startsWith(CLIENT_ID + "@");

		this.clock.advance(Duration.ofSeconds(30));
		introspect(token);
		Http.get(url("/api/me")).bearer(token).send();
		this.lastUses.flush();
		assertThat(listOf(user).get(0).get("lastUsedAt").asString()).as("at most once per interval").isEqualTo(first);

		this.clock.advance(Duration.ofSeconds(31));
		Http.get(url("/api/me")).bearer(token).send();
		String second = this.clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
		assertThat(lastUsedEventually(user, second).get("lastUsedFrom").asString()).isEqualTo("127.0.0.1");
	}

	/**
	 * "Last used" is written off the request thread, in batches: poll for it, with a
	 * deadline.
	 */
	private JsonNode lastUsedEventually(String user, String expected) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		JsonNode token = listOf(user).get(0);
		while (!expected.equals(token.path("lastUsedAt").asString("")) && System.nanoTime() < deadline) {
			Thread.onSpinWait();
			token = listOf(user).get(0);
		}
		assertThat(token.path("lastUsedAt").asString("")).isEqualTo(expected);
		return token;
	}

	private Http.Response generate(String user, Map<String, Object> body) {
		return Http.post(url("/api/me/tokens")).basic(user, USER_PASSWORD).json(body).send();
	}

	private List<JsonNode> listOf(String user) {
		Http.Response response = asAdmin(Http.get(url("/api/users/" + user + "/tokens")));
		assertThat(response.status()).isEqualTo(200);
		return response.json().values().stream().toList();
	}

	static void assertBadField(Http.Response response, String field) {
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.header("Content-Type")).contains("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		assertThat(problem.get("detail").asString()).contains(field);
		assertThat(problem.get("errors").values()).extracting((error) -> error.get("field").asString()).contains(field);
	}

}
