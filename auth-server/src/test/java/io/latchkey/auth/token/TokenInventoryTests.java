package io.latchkey.auth.token;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.authorization.token.LastUseRecorder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The credentials inventory over HTTP: {@code GET /api/tokens} with its filters, sorting
 * and pages, its CSV export, and {@code POST /api/tokens/revoke-selection} with its
 * {@code expectedCount} guard; nobody sees or bulk-revokes tokens of users who outrank
 * them. Other tests share the directory, so each test selects its own tokens through a
 * manager of its own ({@code createdBy}) or an owner of its own.
 */
class TokenInventoryTests extends AuthServerTestBase {

	@Autowired
	private LastUseRecorder lastUses;

	/** Holds tokens.manage and projects.read: outranks users without rights. */
	private String manager;

	@BeforeEach
	void manager() {
		this.manager = newUser(newGroup("tokens.manage", "projects.read"));
	}

	@Test
	void listWhenOwnerGivenThenTheirTokensWithOwnerAndNeverTheValue() {
		String owner = newUser();
		JsonNode created = generate(owner, Map.of("description", "CI"));
		String value = created.get("token").asString();
		generate(newUser(), Map.of());

		Http.Response response = inventory("owner=" + owner);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.header("X-Total-Count")).isEqualTo("1");
		assertThat(response.body()).doesNotContain(value).doesNotContain(value.substring(4, 36));
		JsonNode listed = response.json().get(0);
		assertThat(listed.get("owner").asString()).isEqualTo(owner);
		assertThat(listed.get("id").asString()).isEqualTo(created.get("id").asString());
		assertThat(listed.get("hint").asString()).isEqualTo(created.get("hint").asString());
		assertThat(listed.get("description").asString()).isEqualTo("CI");
		assertThat(listed.get("createdBy").asString()).isEqualTo(this.manager);
		assertThat(listed.get("status").asString()).isEqualTo("active");
		assertThat(listed.has("token")).isFalse();
		assertThat(inventory("owner=" + owner.toUpperCase()).header("X-Total-Count")).as("any case").isEqualTo("1");
	}

	@Test
	void listWhenCreatedByGivenThenOnlyTokensThatUserMade() {
		String owner = newUser();
		String mine = generate(owner, Map.of()).get("id").asString();
		generateToken(owner, Map.of());
		assertThat(ids(inventory("createdBy=" + this.manager))).containsExactly(mine);
		assertThat(ids(inventory("owner=" + owner))).hasSize(2);
	}

	@Test
	void listWhenExpiringBeforeGivenThenOnlyTokensExpiringEarlier() {
		String owner = newUser();
		Instant now = this.clock.instant();
		String soon = generate(owner, Map.of("expiresAt", now.plus(Duration.ofDays(3)).toString())).get("id")
			.asString();
		generate(owner, Map.of("expiresAt", now.plus(Duration.ofDays(60)).toString()));
		assertThat(ids(inventory("owner=" + owner + "&expiringBefore=" + now.plus(Duration.ofDays(7)))))
			.containsExactly(soon);
	}

	@Test
	void listWhenUnusedSinceGivenThenNeverUsedAndLongUnusedTokensOnly() {
		String owner = newUser();
		JsonNode used = generate(owner, Map.of());
		String unused = generate(owner, Map.of()).get("id").asString();
		introspect(used.get("token").asString());
		this.lastUses.flush();
		awaitUse(owner, used.get("id").asString());
		Instant usedAt = this.clock.instant();

		assertThat(ids(inventory("owner=" + owner + "&unusedSince=" + usedAt.minusSeconds(60))))
			.as("never used counts as unused")
			.containsExactly(unused);
		assertThat(ids(inventory("owner=" + owner + "&unusedSince=" + usedAt.plusSeconds(60))))
			.containsExactlyInAnyOrder(unused, used.get("id").asString());
	}

	@Test
	void listWhenAudienceGivenThenTokensThatWorkThereIncludingThoseForAnyService() {
		String owner = newUser();
		String api = generate(owner, Map.of("audience", List.of("resource-api"))).get("id").asString();
		String anywhere = generate(owner, Map.of()).get("id").asString();
		String management = generate(owner, Map.of("audience", List.of("latchkey-api"))).get("id").asString();
		assertThat(ids(inventory("owner=" + owner + "&audience=resource-api"))).containsExactlyInAnyOrder(api,
				anywhere);
		assertThat(ids(inventory("owner=" + owner + "&audience=latchkey-api"))).containsExactlyInAnyOrder(management,
				anywhere);
	}

	@Test
	void listWhenStateGivenThenLiveExpiredOrRevokedRepeatedOrCommaSeparated() {
		String owner = newUser();
		Instant now = this.clock.instant();
		String expiring = generate(owner, Map.of("expiresAt", now.plus(Duration.ofDays(1)).toString())).get("id")
			.asString();
		String revoked = generate(owner, Map.of()).get("id").asString();
		String live = generate(owner, Map.of()).get("id").asString();
		revoke(owner, revoked);
		this.clock.advance(Duration.ofDays(2));

		assertThat(ids(inventory("owner=" + owner + "&state=live"))).containsExactly(live);
		assertThat(ids(inventory("owner=" + owner + "&state=expired"))).containsExactly(expiring);
		assertThat(ids(inventory("owner=" + owner + "&state=revoked"))).containsExactly(revoked);
		assertThat(ids(inventory("owner=" + owner + "&state=live,revoked"))).containsExactlyInAnyOrder(live, revoked);
		assertThat(ids(inventory("owner=" + owner + "&state=live&state=expired"))).containsExactlyInAnyOrder(live,
				expiring);
		assertThat(ids(inventory("owner=" + owner))).as("every state by default").hasSize(3);
	}

	@Test
	void listWhenSortGivenThenInThatOrder() {
		String first = newUser();
		String second = newUser();
		Instant now = this.clock.instant();
		String a = generate(first, Map.of("expiresAt", now.plus(Duration.ofDays(20)).toString())).get("id").asString();
		this.clock.advance(Duration.ofMinutes(1));
		String b = generate(second, Map.of("expiresAt", now.plus(Duration.ofDays(10)).toString())).get("id").asString();
		this.clock.advance(Duration.ofMinutes(1));
		JsonNode used = generate(first, Map.of("expiresAt", now.plus(Duration.ofDays(30)).toString()));
		String c = used.get("id").asString();
		introspect(used.get("token").asString());
		this.lastUses.flush();
		awaitUse(first, c);

		String mine = "createdBy=" + this.manager;
		assertThat(ids(inventory(mine))).as("newest first by default").containsExactly(c, b, a);
		assertThat(ids(inventory(mine + "&sort=-createdAt"))).containsExactly(c, b, a);
		assertThat(ids(inventory(mine + "&sort=createdAt"))).containsExactly(a, b, c);
		assertThat(ids(inventory(mine + "&sort=expiresAt"))).containsExactly(b, a, c);
		assertThat(ids(inventory(mine + "&sort=-expiresAt"))).containsExactly(c, a, b);
		assertThat(ids(inventory(mine + "&sort=-lastUsedAt")).get(0)).isEqualTo(c);
		assertThat(ids(inventory(mine + "&sort=lastUsedAt")).get(2)).as("never used first").isEqualTo(c);
		List<String> byOwner = inventory(mine + "&sort=owner").json()
			.values()
			.stream()
			.map((token) -> token.get("owner").asString())
			.toList();
		assertThat(byOwner).isSorted();
		assertThat(ids(inventory(mine + "&sort=-owner")).get(0)).isEqualTo((first.compareTo(second) > 0) ? c : b);
	}

	@Test
	void listWhenPagedThenPagesOfTheSelectionWithTotalAndLinks() {
		String owner = newUser();
		List<String> made = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			made.add(0, generate(owner, Map.of()).get("id").asString());
			this.clock.advance(Duration.ofSeconds(1));
		}
		Http.Response second = inventory("owner=" + owner + "&page=2&size=2");
		assertThat(second.header("X-Total-Count")).isEqualTo("5");
		assertThat(second.header("Link")).contains("rel=\"next\"").contains("rel=\"prev\"").contains("page=3&size=2");
		assertThat(ids(second)).containsExactly(made.get(2), made.get(3));
		assertThat(ids(inventory("owner=" + owner + "&page=3&size=2"))).containsExactly(made.get(4));
		assertThat(inventory("owner=" + owner + "&size=101").status()).isEqualTo(400);
	}

	@Test
	void listWhenFilterValueBadThen400NamingTheParameter() {
		TokenApiTests.assertBadField(inventory("expiringBefore=tomorrow"), "expiringBefore");
		TokenApiTests.assertBadField(inventory("unusedSince=2026-13-01"), "unusedSince");
		TokenApiTests.assertBadField(inventory("state=dead"), "state");
		TokenApiTests.assertBadField(inventory("state=live,zombie"), "state");
		TokenApiTests.assertBadField(inventory("sort=color"), "sort");
		TokenApiTests.assertBadField(inventory("audience=nowhere"), "audience");
		TokenApiTests.assertBadField(inventory("owner=" + encode("two words")), "owner");
		TokenApiTests.assertBadField(inventory("createdBy=" + "x".repeat(101)), "createdBy");
		Http.Response csv = as(this.manager, Http.get(url("/api/tokens?sort=color")).header("Accept", "text/csv"));
		TokenApiTests.assertBadField(csv, "sort");
	}

	@Test
	void exportWhenCsvAcceptedThenWholeSelectionAsAttachmentWithHintsOnly() {
		String owner = newUser();
		List<String> values = new ArrayList<>();
		List<String> descriptions = List.of("plain 0", "plain 1", "plain 2",
				"=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(1+1)", "a, \"quoted\" one");
		for (String description : descriptions) {
			values.add(generate(owner, Map.of("description", description)).get("token").asString());
			this.clock.advance(Duration.ofSeconds(1));
		}

		Http.Response csv = as(this.manager,
				Http.get(url("/api/tokens?owner=" + owner + "&size=1&sort=createdAt")).header("Accept", "text/csv"));
		assertThat(csv.status()).as(csv.body()).isEqualTo(200);
		assertThat(csv.header("Content-Type")).startsWith("text/csv");
		assertThat(csv.header("Content-Disposition")).startsWith("attachment").contains("latchkey-tokens.csv");
		assertThat(csv.header("Cache-Control")).contains("no-store");
		assertThat(csv.header("X-Total-Count")).isEqualTo("6");
		List<String> lines = List.of(csv.body().split("\r\n"));
		assertThat(lines.get(0)).isEqualTo("owner,id,hint,description,scopes,audience,createdAt,createdBy,expiresAt,"
				+ "lastUsedAt,lastUsedFrom,status,revocationReason");
		assertThat(lines).as("every row, not one page").hasSize(7);
		assertThat(lines.get(1)).startsWith(owner + ",").contains(",plain 0,").endsWith(",active,");
		assertThat(lines.get(4)).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",");
		assertThat(lines.get(5)).contains(",'@SUM(1+1),");
		assertThat(lines.get(6)).contains(",\"a, \"\"quoted\"\" one\",");
		for (String value : values) {
			assertThat(csv.body()).doesNotContain(value).doesNotContain(value.substring(4, 36));
			assertThat(lines.stream().filter((line) -> line.contains("lkp_…" + value.substring(value.length() - 4))))
				.hasSize(1);
		}
	}

	@Test
	void revokeSelectionWhenCountMatchesThenExactlyItsLiveTokensStopWorking() {
		String owner = newUser();
		String other = newUser();
		String selected1 = generate(owner, Map.of()).get("token").asString();
		String selected2 = generate(other, Map.of()).get("token").asString();
		String notMine = generateToken(owner, Map.of()).get("token").asString();
		String expiredId = generate(owner, Map.of("expiresAt", this.clock.instant().plusSeconds(60).toString()))
			.get("id")
			.asString();
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(inventory("createdBy=" + this.manager + "&state=live").header("X-Total-Count")).isEqualTo("2");

		Http.Response response = revokeSelection(Map.of("createdBy", this.manager, "expectedCount", 2));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().get("revoked").asInt()).isEqualTo(2);
		assertThat(introspect(selected1).json().get("active").asBoolean()).isFalse();
		assertThat(introspect(selected2).json().get("active").asBoolean()).isFalse();
		assertThat(introspect(notMine).json().get("active").asBoolean()).as("outside the selection").isTrue();
		JsonNode listed = inventory("createdBy=" + this.manager + "&state=revoked").json();
		assertThat(listed.values()).hasSize(2)
			.allSatisfy((token) -> assertThat(token.get("revocationReason").asString()).isEqualTo("requested"));
		assertThat(ids(inventory("createdBy=" + this.manager + "&state=expired"))).as("expired ones stay as they are")
			.containsExactly(expiredId);
		Http.Response audit = asAdmin(Http.get(url("/api/audit?type=token.revoked&actor=" + this.manager)));
		assertThat(audit.body()).contains("api/tokens/revoke-selection");
	}

	@Test
	void listWhenTokenRotatedAwayThenItCountsAsExpiredAndItsSuccessorAsLive() {
		String owner = newUser();
		String old = generate(owner, Map.of()).get("id").asString();
		Http.Response rotated = as(this.manager,
				Http.post(url("/api/users/" + owner + "/tokens/" + old + "/rotate")).json(Map.of()));
		assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
		assertThat(ids(inventory("owner=" + owner + "&state=expired"))).containsExactly(old);
		assertThat(ids(inventory("owner=" + owner + "&state=live")))
			.containsExactly(rotated.json().get("id").asString());
	}

	@Test
	void revokeSelectionWhenTokenAddedSinceCountedThen409AndNothingRevoked() {
		String owner = newUser();
		String first = generate(owner, Map.of()).get("token").asString();
		int counted = Integer.parseInt(inventory("owner=" + owner + "&state=live").header("X-Total-Count"));
		String added = generate(owner, Map.of()).get("token").asString();

		Http.Response response = revokeSelection(Map.of("owner", owner, "expectedCount", counted));
		assertThat(response.status()).as(response.body()).isEqualTo(409);
		assertThat(response.header("Content-Type")).contains("application/problem+json");
		assertThat(introspect(first).json().get("active").asBoolean()).isTrue();
		assertThat(introspect(added).json().get("active").asBoolean()).isTrue();
	}

	@Test
	void revokeSelectionWhenBodyBadThen400NamingTheField() {
		TokenApiTests.assertBadField(revokeSelection(Map.of("owner", "nobody")), "expectedCount");
		TokenApiTests.assertBadField(revokeSelection(Map.of("expectedCount", -1)), "expectedCount");
		TokenApiTests.assertBadField(revokeSelection(Map.of("state", List.of("gone"), "expectedCount", 0)), "state");
		TokenApiTests.assertBadField(revokeSelection(Map.of("unusedSince", "yesterday", "expectedCount", 0)),
				"unusedSince");
	}

	@Test
	void inventoryWhenOwnerOutranksManagerThenTheirTokensNeverListedExportedOrRevoked() {
		String boss = newUser(newGroup("projects.write"));
		String bossToken = tokenFor(boss);
		String bossHint = "lkp_…" + bossToken.substring(bossToken.length() - 4);

		Http.Response list = inventory("owner=" + boss);
		assertThat(list.status()).as("left out, never refused").isEqualTo(200);
		assertThat(list.json().values()).isEmpty();
		assertThat(inventory("size=100").body()).doesNotContain(boss);
		Http.Response csv = as(this.manager, Http.get(url("/api/tokens?state=live")).header("Accept", "text/csv"));
		assertThat(csv.body()).doesNotContain(boss).doesNotContain(bossHint);
		Http.Response revoke = revokeSelection(Map.of("owner", boss, "expectedCount", 1));
		assertThat(revoke.status()).isEqualTo(409);
		assertThat(revokeSelection(Map.of("owner", boss, "expectedCount", 0)).json().get("revoked").asInt())
			.isEqualTo(0);
		assertThat(introspect(bossToken).json().get("active").asBoolean()).isTrue();

		Http.Response admin = asAdmin(Http.get(url("/api/tokens?owner=" + boss)));
		assertThat(admin.header("X-Total-Count")).as("one who outranks the owner sees them").isEqualTo("1");
	}

	@Test
	void inventoryWhenCallerLacksTokensManageThen403() {
		String plain = newUser(newGroup("users.manage", "projects.read"));
		assertThat(as(plain, Http.get(url("/api/tokens"))).status()).isEqualTo(403);
		assertThat(as(plain, Http.get(url("/api/tokens")).header("Accept", "text/csv")).status()).isEqualTo(403);
		assertThat(as(plain, Http.post(url("/api/tokens/revoke-selection")).json(Map.of("expectedCount", 0))).status())
			.isEqualTo(403);
		assertThat(Http.get(url("/api/tokens")).send().status()).isEqualTo(401);
	}

	private JsonNode generate(String owner, Map<String, Object> body) {
		Http.Response response = as(this.manager, Http.post(url("/api/users/" + owner + "/tokens")).json(body));
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json();
	}

	private void revoke(String owner, String id) {
		assertThat(as(this.manager, Http.delete(url("/api/users/" + owner + "/tokens/" + id))).status()).isEqualTo(204);
	}

	private Http.Response inventory(String query) {
		return as(this.manager, Http.get(url("/api/tokens?" + query)));
	}

	private Http.Response revokeSelection(Map<String, Object> body) {
		return as(this.manager, Http.post(url("/api/tokens/revoke-selection")).json(new LinkedHashMap<>(body)));
	}

	private static List<String> ids(Http.Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json().values().stream().map((token) -> token.get("id").asString()).toList();
	}

	/** "Last used" is written off the request thread: poll for it, with a deadline. */
	private void awaitUse(String owner, String id) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			JsonNode tokens = inventory("owner=" + owner).json();
			for (JsonNode token : tokens.values()) {
				if (token.get("id").asString().equals(id) && !token.path("lastUsedAt").isNull()
						&& token.has("lastUsedAt")) {
					return;
				}
			}
			this.lastUses.flush();
			Thread.onSpinWait();
		}
		throw new AssertionError("token " + id + " never recorded as used");
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
