package io.latchkey.auth.token;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.authorization.token.LastUseRecorder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotation (by id and by the token itself), reuse of a rotated token, per-token
 * allowlists and recent addresses, and the audit log that records all of it, over HTTP.
 */
class TokenLifecycleTests extends AuthServerTestBase {

	@Autowired
	private LastUseRecorder lastUses;

	@Test
	void rotateWhenOwnTokenThenNewTokenSameDescriptionScopesAndTheOldOneInactiveAtOnce() {
		String user = newUser(newGroup("projects.read", "projects.write"));
		JsonNode old = created(Http.post(url("/api/me/tokens"))
			.basic(user, USER_PASSWORD)
			.json(Map.of("description", "CI", "scopes", List.of("projects.read"), "allowedIps",
					List.of("127.0.0.0/8"))));
		Http.Response response = Http.post(url("/api/me/tokens/" + old.get("id").asString() + "/rotate"))
			.basic(user, USER_PASSWORD)
			.send();
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		assertThat(response.header("Cache-Control")).contains("no-store");
		JsonNode rotated = response.json();
		assertThat(rotated.get("token").asString()).isNotEqualTo(old.get("token").asString()).startsWith("lkp_");
		assertThat(rotated.get("description").asString()).isEqualTo("CI");
		assertThat(rotated.get("rotatedFrom").asString()).isEqualTo(old.get("id").asString());
		assertThat(rotated.get("allowedIps").toString()).contains("127.0.0.0/8");
		assertThat(introspect(old.get("token").asString(), "127.0.0.1").body()).isEqualTo("{\"active\":false}");
		JsonNode active = introspect(rotated.get("token").asString(), "127.0.0.1").json();
		assertThat(active.get("active").asBoolean()).isTrue();
		assertThat(active.get("scope").asString()).isEqualTo("projects.read");

		JsonNode listedOld = listed(user, old.get("id").asString());
		assertThat(listedOld.get("status").asString()).isEqualTo("rotated");
		assertThat(listedOld.get("rotatedTo").asString()).isEqualTo(rotated.get("id").asString());
		assertThat(Http.post(url("/api/me/tokens/" + old.get("id").asString() + "/rotate"))
			.basic(user, USER_PASSWORD)
			.send()
			.status()).as("a rotated token is not rotated twice").isEqualTo(409);
	}

	@Test
	void rotateWhenNoExpiryGivenThenTheOldLifetimeAgainFromNow() {
		String user = newUser();
		JsonNode old = generateToken(user,
				Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(7)).toString()));
		this.clock.advance(Duration.ofDays(2));
		JsonNode rotated = asAdmin(
				Http.post(url("/api/users/" + user + "/tokens/" + old.get("id").asString() + "/rotate")))
			.json();
		assertThat(Instant.parse(rotated.get("expiresAt").asString()))
			.isCloseTo(this.clock.instant().plus(Duration.ofDays(7)), within());
	}

	@Test
	void rotateWhenBearerTokenRotatesAnotherTokenByIdThenForbidden() {
		String user = newUser();
		String token = tokenFor(user);
		String other = generateToken(user, Map.of()).get("id").asString();
		Http.Response response = Http.post(url("/api/me/tokens/" + other + "/rotate")).bearer(token).send();
		assertThat(response.status()).as("a stolen token cannot mint another").isEqualTo(403);
		assertThat(introspect(token).json().get("active").asBoolean()).isTrue();
	}

	@Test
	void rotateWhenSomebodyElsesTokenWithoutTokensManageThenForbidden() {
		String user = newUser();
		String stranger = newUser();
		String id = generateToken(user, Map.of()).get("id").asString();
		assertThat(as(stranger, Http.post(url("/api/users/" + user + "/tokens/" + id + "/rotate"))).status())
			.isEqualTo(403);
		assertThat(as(stranger, Http.post(url("/api/me/tokens/" + id + "/rotate"))).status())
			.as("another user's token id is not found among one's own")
			.isEqualTo(404);
	}

	@Test
	void rotateWhenManagerRotatesAnAdministratorsTokenThenForbiddenAsEscalation() {
		String manager = newUser(newGroup("tokens.manage"));
		String id = generateToken(ADMIN, Map.of()).get("id").asString();
		Http.Response response = as(manager, Http.post(url("/api/users/" + ADMIN + "/tokens/" + id + "/rotate")));
		assertThat(response.status()).as(response.body()).isEqualTo(403);
		assertThat(response.json().get("detail").asString()).contains("users.manage");
	}

	@Test
	void rotateSelfWhenBearerTokenThenReplacedNeverAdded() {
		String user = newUser(newGroup("projects.read"));
		String token = tokenFor(user);
		int before = tokensOf(user).size();
		Http.Response response = Http.post(url("/api/tokens/self/rotate")).bearer(token).send();
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		String successor = response.json().get("token").asString();
		assertThat(introspect(token).body()).isEqualTo("{\"active\":false}");
		assertThat(introspect(successor).json().get("active").asBoolean()).isTrue();
		assertThat(tokensOf(user).stream().filter((listed) -> "active".equals(listed.get("status").asString())))
			.hasSize(before);
		assertThat(Http.post(url("/api/tokens/self/rotate")).bearer(token).send().status())
			.as("the old token cannot rotate again")
			.isEqualTo(401);
	}

	@Test
	void rotateSelfWhenPasswordInsteadOfTokenOrNarrowedWithoutSelfScopeThenForbidden() {
		String user = newUser(newGroup("projects.read"));
		assertThat(as(user, Http.post(url("/api/tokens/self/rotate"))).status()).isEqualTo(403);
		String narrowed = generateToken(user, Map.of("scopes", List.of("projects.read"))).get("token").asString();
		assertThat(Http.post(url("/api/tokens/self/rotate")).bearer(narrowed).send().status()).isEqualTo(403);
		String selfService = generateToken(user, Map.of("scopes", List.of("projects.read", "tokens.self"))).get("token")
			.asString();
		assertThat(Http.post(url("/api/tokens/self/rotate")).bearer(selfService).send().status()).isEqualTo(201);
	}

	@Test
	void reuseWhenRotatedTokenPresentedAgainThenAuditedAsReuse() {
		String user = newUser();
		JsonNode old = generateToken(user, Map.of());
		Http.post(url("/api/tokens/self/rotate")).bearer(old.get("token").asString()).send();
		assertThat(introspect(old.get("token").asString()).body()).isEqualTo("{\"active\":false}");
		JsonNode reuse = auditOf(user, "token.reuse_detected");
		assertThat(reuse.get("token_id").asString()).isEqualTo(old.get("id").asString());
		assertThat(reuse.get("action").asString()).isEqualTo("alert");
		assertThat(reuse.toString()).doesNotContain(old.get("token").asString());
	}

	@Test
	void allowedIpsWhenBadRangeThen400NamingFieldAndNothingStored() {
		String user = newUser();
		Http.Response response = Http.post(url("/api/me/tokens"))
			.basic(user, USER_PASSWORD)
			.json(Map.of("allowedIps", List.of("10.0.0.0/8", "office.example.com")))
			.send();
		TokenApiTests.assertBadField(response, "allowedIps");
		assertThat(tokensOf(user)).isEmpty();
	}

	@Test
	void allowedIpsWhenCallerOutsideThenTokenRefusedInsideThenAccepted() throws Exception {
		String user = newUser();
		String elsewhere = generateToken(user, Map.of("allowedIps", List.of("10.0.0.0/8"))).get("token").asString();
		String here = generateToken(user, Map.of("allowedIps", List.of("127.0.0.0/8", "::1/128"))).get("token")
			.asString();
		assertThat(Http.get(url("/api/me")).bearer(elsewhere).send().status()).isEqualTo(401);
		assertThat(Http.get(url("/api/me")).bearer(here).send().status()).isEqualTo(200);
		String loopbackOnly = generateToken(user, Map.of("allowedIps", List.of("127.0.0.1"))).get("token").asString();
		assertThat(
				Http.get(url("/api/me")).bearer(loopbackOnly).from(InetAddress.getByName("127.0.0.9")).send().status())
			.as("127.0.0.9 is outside 127.0.0.1/32")
			.isEqualTo(401);
	}

	@Test
	void introspectWhenResourceServiceReportsTheClientAddressThenAllowlistCheckedAndAnswerCarriesIt() {
		String user = newUser();
		String token = generateToken(user, Map.of("allowedIps", List.of("10.0.0.0/8"))).get("token").asString();
		assertThat(introspect(token, "192.0.2.1").body()).isEqualTo("{\"active\":false}");
		assertThat(introspect(token).body()).as("no reported address: no allowlist admits it")
			.isEqualTo("{\"active\":false}");
		JsonNode active = introspect(token, "10.20.30.40").json();
		assertThat(active.get("active").asBoolean()).isTrue();
		assertThat(active.get("allowed_ips").toString()).contains("10.0.0.0/8");
	}

	@Test
	void recentUsesWhenUsedFromSeveralAddressesThenListedNewestFirst() {
		String user = newUser();
		String token = tokenFor(user);
		introspect(token, "198.51.100.1");
		this.clock.advance(Duration.ofSeconds(1));
		introspect(token, "198.51.100.2");
		this.lastUses.flush();
		JsonNode listed = tokensOf(user).get(0);
		assertThat(listed.get("recentUses").values()).extracting((use) -> use.get("address").asString())
			.containsExactly("198.51.100.2", "198.51.100.1");
		assertThat(listed.get("lastUsedFrom").asString()).isEqualTo("198.51.100.1");
	}

	@Test
	void auditWhenFilteredByUserThenCreationRotationAndFailedSignInNewestFirst() {
		String user = newUser();
		String id = created(Http.post(url("/api/me/tokens")).basic(user, USER_PASSWORD).json(Map.of())).get("id")
			.asString();
		Http.post(url("/api/me/tokens/" + id + "/rotate")).basic(user, USER_PASSWORD).send();
		Http.get(url("/api/me")).basic(user, "wrong-password").send();
		Http.Response response = asAdmin(Http.get(url("/api/audit?user=" + user)));
		assertThat(response.status()).isEqualTo(200);
		List<String> types = response.json().values().stream().map((record) -> record.get("type").asString()).toList();
		assertThat(types).containsSubsequence("signin.failed", "token.rotated", "token.created");
		assertThat(response.body()).doesNotContain("wrong-password").doesNotContainPattern("lkp_[0-9A-Za-z]{36}");
	}

	@Test
	void auditWhenPagedThenCursorInLinkHeaderAndNdjsonStreamsEverything() {
		String user = newUser();
		for (int i = 0; i < 3; i++) {
			generateToken(user, Map.of());
		}
		Http.Response first = asAdmin(Http.get(url("/api/audit?type=token.created&user=" + user + "&limit=2")));
		assertThat(first.json().values()).hasSize(2);
		String next = first.header("Link").replaceAll("^<([^>]+)>.*$", "$1");
		assertThat(next).contains("cursor=");
		Http.Response second = asAdmin(Http.get(next));
		assertThat(second.json().values()).hasSize(1);
		assertThat(second.header("Link")).isNull();

		Http.Response stream = asAdmin(
				Http.get(url("/api/audit?type=token.*&user=" + user)).header("Accept", "application/x-ndjson"));
		assertThat(stream.status()).isEqualTo(200);
		assertThat(stream.header("Content-Type")).startsWith("application/x-ndjson");
		assertThat(stream.body().strip().split("\n")).hasSize(3)
			.allSatisfy((line) -> assertThat(line).startsWith("{").contains("\"type\":\"token.created\""));
	}

	@Test
	void auditWhenNoAuditReadRightOrBadFilterThenRefused() {
		String user = newUser(newGroup("tokens.manage", "users.manage"));
		assertThat(as(user, Http.get(url("/api/audit"))).status()).isEqualTo(403);
		TokenApiTests.assertBadField(asAdmin(Http.get(url("/api/audit?from=yesterday"))), "from");
		TokenApiTests.assertBadField(asAdmin(Http.get(url("/api/audit?cursor=abc"))), "cursor");
		TokenApiTests.assertBadField(asAdmin(Http.get(url("/api/audit?limit=1000"))), "size");
	}

	@Test
	void auditWhenTimeRangeThenOnlyRecordsWithin() {
		String user = newUser();
		Instant before = this.clock.instant();
		generateToken(user, Map.of());
		this.clock.advance(Duration.ofHours(1));
		Instant later = this.clock.instant();
		generateToken(user, Map.of());
		assertThat(
				asAdmin(Http.get(url("/api/audit?type=token.created&user=" + user + "&from=" + later))).json().values())
			.hasSize(1);
		assertThat(asAdmin(
				Http.get(url("/api/audit?type=token.created&user=" + user + "&from=" + before + "&to=" + later)))
			.json()
			.values()).hasSize(1);
	}

	private Http.Response introspect(String token, String clientAddress) {
		return Http.post(url("/oauth2/introspect"))
			.basic(CLIENT_ID, CLIENT_SECRET)
			.form(Map.of("token", token, "latchkey_client_ip", clientAddress))
			.send();
	}

	private JsonNode auditOf(String user, String type) {
		Http.Response response = asAdmin(Http.get(url("/api/audit?user=" + user + "&type=" + type)));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().values()).as(type).isNotEmpty();
		return response.json().get(0);
	}

	private static JsonNode created(Http request) {
		Http.Response response = request.send();
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json();
	}

	private List<JsonNode> tokensOf(String user) {
		return asAdmin(Http.get(url("/api/users/" + user + "/tokens"))).json().values().stream().toList();
	}

	private JsonNode listed(String user, String id) {
		return tokensOf(user).stream()
			.filter((token) -> id.equals(token.get("id").asString()))
			.findFirst()
			.orElseThrow();
	}

	private static org.assertj.core.data.TemporalUnitOffset within() {
		return org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.SECONDS);
	}

}
