package io.latchkey.auth.portal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.authorization.token.LastUseRecorder;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The Home Portal's flows from the seed pages, in a real headless Chromium. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalBrowserTests extends AuthServerTestBase {

	private static final String TOKEN_PATTERN = "lkp_[0-9A-Za-z]{36}";

	private Browser browser;

	@Autowired
	private LastUseRecorder lastUses;

	@BeforeAll
	void openBrowser() {
		this.browser = new Browser("http://localhost:" + this.port);
	}

	@AfterAll
	void closeBrowser() {
		this.browser.close();
	}

	@BeforeEach
	void signedOut() {
		this.browser.driver.manage().deleteAllCookies();
	}

	@Test
	void administratorCreatesIntegrationUserAndGroupThenGeneratesItsToken() {
		Browser b = this.browser;
		b.open("/login");
		b.screenshot("sign-in");
		b.signIn(ADMIN, ADMIN_PASSWORD);
		assertThat(b.path()).isEqualTo("/account/tokens");

		String group = "integrations-" + suffix();
		b.click("#configuration-menu summary").go("#menu-groups");
		b.type("#group-name", group).click("#right-projects\\.read").go("#save-group");
		assertThat(b.text("#message")).contains(group);
		assertThat(b.find("#right-projects\\.read").isSelected()).isTrue();
		assertThat(b.find("#right-users\\.manage").isSelected()).isFalse();
		b.screenshot("group");

		String user = "integration-" + suffix();
		b.click("#configuration-menu summary").go("#menu-users");
		assertThat(b.path()).isEqualTo("/admin/users");
		b.go("#create-user");
		b.type("#username", user)
			.type("#displayName", "Integration bot")
			.type("#password", "integration-password")
			.click("#group-" + group)
			.go("#save-user");
		assertThat(b.text("#message")).contains(user + " created");

		b.click("#configuration-menu summary").go("#menu-users");
		b.type("#search", user.substring(user.length() - 8)).submit("#search");
		List<WebElement> rows = b.driver.findElements(By.cssSelector("#user-list tbody tr[data-username]"));
		assertThat(rows).hasSize(1);
		assertThat(rows.get(0).getText()).contains(user, "Enabled", group);
		b.screenshot("users");
		b.go(rows.get(0).findElement(By.linkText(user)));
		b.screenshot("user");

		b.go("#tab-access-tokens");
		assertThat(b.path()).isEqualTo("/admin/users/" + user + "/tokens");
		assertThat(b.find("#api-docs").getAttribute("href")).endsWith("/swagger-ui.html");
		assertThat(b.has("#no-tokens")).isTrue();
		b.click("#generate-token");
		b.type("#description", "Translation memory sync").go("#generate-submit");

		String token = b.find("#new-token").getAttribute("value");
		assertThat(token).matches(TOKEN_PATTERN);
		assertThat(b.text("#new-token-section")).contains("shown only this once");
		assertThat(b.path()).doesNotContain(token).doesNotContain("lkp_");
		b.click("#copy-token");
		b.until((driver) -> "Copied".equals(b.text("#copy-token")));
		b.screenshot("token-generated");

		b.reload();
		b.until((driver) -> b.has("#token-list") || b.has("#message"));
		b.open("/admin/users/" + user + "/tokens");
		assertThat(b.source()).doesNotContain(token);
		assertThat(b.has("#new-token")).isFalse();
		String hint = b.text("#token-list tbody tr .hint");
		assertThat(hint).isEqualTo("lkp_…" + token.substring(token.length() - 4));
		assertThat(b.text("#token-list tbody tr")).contains("Translation memory sync", "by " + ADMIN);
		b.screenshot("user-tokens");

		Http.Response introspection = introspect(token);
		assertThat(introspection.json().get("active").asBoolean()).isTrue();
		assertThat(introspection.json().get("username").asString()).isEqualTo(user);
		assertThat(introspection.json().get("scope").asString()).isEqualTo("projects.read");
	}

	@Test
	void userGeneratesOwnTokenUnderMyAccountAndGets403OnUsersPage() {
		String user = newUser(newGroup("projects.read"));
		Browser b = this.browser.signIn(user, USER_PASSWORD);
		assertThat(b.has("#configuration-menu")).as("no Configuration menu without the rights").isFalse();
		b.click("#personal-menu summary").go("#menu-my-account");
		b.click("#generate-token").type("#description", "my laptop").go("#generate-submit");
		String token = b.find("#new-token").getAttribute("value");
		assertThat(token).matches(TOKEN_PATTERN);
		b.screenshot("my-account-token-generated");

		b.go("#save-token");
		assertThat(b.source()).doesNotContain(token);
		assertThat(b.text("#token-list")).contains("lkp_…" + token.substring(token.length() - 4), "my laptop");
		b.screenshot("my-account");
		assertThat(introspect(token).json().get("username").asString()).isEqualTo(user);

		b.open("/admin/users");
		assertThat(b.text("#forbidden")).contains("403");
		assertThat(b.source()).doesNotContain("user-list");
		b.screenshot("forbidden");
		b.open("/admin/tokens/revoke");
		assertThat(b.has("#forbidden")).isTrue();
	}

	@Test
	void reloadingTheResultPageNeverMintsASecondToken() {
		String user = newUser();
		Browser b = this.browser.signIn(user, USER_PASSWORD);
		b.open("/account/tokens").click("#generate-token").go("#generate-submit");
		assertThat(b.has("#new-token")).isTrue();
		b.reload();
		try {
			b.driver.switchTo().alert().accept();
		}
		catch (org.openqa.selenium.NoAlertPresentException ex) {
			// headless Chromium resubmits the form without asking
		}
		b.until((driver) -> b.has("#token-list"));
		assertThat(b.has("#new-token")).isFalse();
		assertThat(b.text("#message")).contains("already generated");
		assertThat(b.driver.findElements(By.cssSelector("#token-list tbody tr"))).hasSize(1);
	}

	@Test
	void revokeAsksForConfirmationThenTheTokenStopsWorkingAndStaysListedAsRevoked() {
		String user = newUser();
		String token = tokenFor(user);
		Browser b = this.browser.signIn(user, USER_PASSWORD);
		b.open("/account/tokens");
		b.click("#token-list tbody tr details.confirm summary.danger");
		b.screenshot("revoke-confirmation");
		b.go("#token-list tbody tr .confirm-revoke");
		assertThat(b.text("#message")).contains("revoked");
		assertThat(b.find("#token-list tbody tr[data-status='revoked']").getText()).contains("revoked: requested",
				"by " + user);
		assertThat(b.has("#token-list tbody tr .confirm-revoke")).as("nothing left to revoke").isFalse();
		b.screenshot("revoked-listed");
		assertThat(introspect(token).body()).isEqualTo("{\"active\":false}");
	}

	@Test
	void rotateBesideRevokeShowsTheNewTokenOnceAndTheOldOneStopsWorking() {
		String user = newUser(newGroup("projects.read"));
		String old = generateToken(user, Map.of("description", "deploy bot")).get("token").asString();
		Browser b = this.browser.signIn(user, USER_PASSWORD);
		b.open("/account/tokens");
		b.click("#token-list tbody tr summary.rotate");
		b.screenshot("rotate-confirmation");
		b.go("#token-list tbody tr .confirm-rotate");
		String rotated = b.find("#new-token").getAttribute("value");
		assertThat(rotated).matches(TOKEN_PATTERN).isNotEqualTo(old);
		assertThat(b.text("#message")).contains("rotated");
		b.screenshot("rotated");
		assertThat(introspect(old).body()).isEqualTo("{\"active\":false}");
		assertThat(introspect(rotated).json().get("active").asBoolean()).isTrue();
		b.go("#save-token");
		assertThat(b.source()).doesNotContain(rotated);
		assertThat(b.find("#token-list tbody tr[data-status='rotated']").getText()).contains("deploy bot", "rotated");
		assertThat(b.find("#token-list tbody tr[data-status='active']").getText()).contains("deploy bot");
	}

	@Test
	void tokenNearExpiryIsHighlightedWithDaysLeftAndAdministratorsSeeWhoseExpireSoon() {
		String user = newUser();
		generateToken(user, Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(3).plusHours(1)).toString()));
		Browser b = this.browser.signIn(user, USER_PASSWORD);
		b.open("/account/tokens");
		WebElement row = b.find("#token-list tbody tr");
		assertThat(row.getAttribute("class")).contains("near-expiry");
		assertThat(row.findElement(By.cssSelector(".expires-in")).getText()).isEqualTo("expires in 3 days");
		b.screenshot("near-expiry");

		b.signIn(ADMIN, ADMIN_PASSWORD).open("/admin/users?q=" + user);
		assertThat(b.find("#user-list tr[data-username='" + user + "'] .expiring-soon").getText())
			.isEqualTo("1 expiring within 7 days");
		b.screenshot("users-expiring-soon");
	}

	@Test
	void generateWithAnAllowlistThenTheListShowsItAndTheAddressesTheTokenWasUsedFrom() {
		String user = newUser();
		Browser b = this.browser.signIn(user, USER_PASSWORD);
		b.open("/account/tokens");
		b.click("#generate-token").type("#allowed-ips", "10.0.0.0/8, 127.0.0.1").go("#generate-submit");
		String token = b.find("#new-token").getAttribute("value");
		Http.post(url("/oauth2/introspect"))
			.basic(CLIENT_ID, CLIENT_SECRET)
			.form(Map.of("token", token, "latchkey_client_ip", "10.1.2.3"))
			.send();
		this.lastUses.flush();
		b.go("#save-token");
		WebElement row = b.find("#token-list tbody tr");
		assertThat(row.findElement(By.cssSelector(".allowed-ips")).getText())
			.isEqualTo("Only from 10.0.0.0/8, 127.0.0.1/32");
		assertThat(row.findElement(By.cssSelector(".recent-uses")).getText()).contains("10.1.2.3");
		b.screenshot("allowlist-and-recent-uses");

		b.open("/account/tokens")
			.click("#generate-token")
			.type("#allowed-ips", "office.example.com")
			.go("#generate-submit");
		assertThat(b.text("#generate-error")).contains("allowedIps");
	}

	@Test
	void auditLogUnderConfigurationAndActivityTabShowWhatHappened() {
		String user = newUser();
		generateToken(user, Map.of("description", "audited"));
		Http.get(url("/api/me")).basic(user, "not-the-password").send();
		Browser b = this.browser.signIn(ADMIN, ADMIN_PASSWORD);
		b.click("#configuration-menu summary").go("#menu-audit");
		b.type("#filter-user", user).go("#apply-filter");
		assertThat(b.driver.findElements(By.cssSelector("#audit-list tbody tr")))
			.extracting((tr) -> tr.getAttribute("data-type"))
			.contains("token.created", "signin.failed", "user.created");
		assertThat(b.source()).doesNotContain("not-the-password");
		b.screenshot("audit-log");

		b.open("/admin/users/" + user).go("#tab-activity");
		assertThat(b.text("#audit-list")).contains("token.created");
		b.screenshot("user-activity");

		Browser mine = b.signIn(user, USER_PASSWORD);
		mine.open("/admin/audit");
		assertThat(mine.has("#forbidden")).as("audit.read is needed").isTrue();
	}

	@Test
	void administratorRevokesAllTokensOfAUser() {
		String user = newUser();
		String first = tokenFor(user);
		String second = tokenFor(user);
		Browser b = this.browser.signIn(ADMIN, ADMIN_PASSWORD);
		b.open("/admin/users/" + user + "/tokens");
		assertThat(b.driver.findElements(By.cssSelector("#token-list tbody tr"))).hasSize(2);
		b.click("#revoke-all summary").go("#confirm-revoke-all");
		assertThat(b.text("#message")).contains("Revoked all 2");
		assertThat(introspect(first).body()).isEqualTo("{\"active\":false}");
		assertThat(introspect(second).body()).isEqualTo("{\"active\":false}");
	}

	@Test
	void administratorRevokesALeakedTokenWithoutLearningWhose() {
		String token = tokenFor(newUser());
		Browser b = this.browser.signIn(ADMIN, ADMIN_PASSWORD);
		b.click("#configuration-menu summary").go("#menu-revoke-leaked");
		b.screenshot("revoke-leaked");
		b.type("#leaked-token", token).go("#revoke-leaked");
		String answer = b.text("#message");
		assertThat(b.path()).isEqualTo("/admin/tokens/revoke");
		assertThat(introspect(token).body()).isEqualTo("{\"active\":false}");

		b.type("#leaked-token", "lkp_" + "Q".repeat(36)).go("#revoke-leaked");
		assertThat(b.text("#message")).isEqualTo(answer);
	}

	@Test
	void generatingAfterFifteenMinutesAsksForThePasswordAgain() {
		String user = newUser();
		Browser b = this.browser.signIn(user, USER_PASSWORD);
		this.clock.advance(Duration.ofMinutes(16));
		b.open("/account/tokens").click("#generate-token");
		assertThat(b.has("#confirm-password")).isTrue();
		b.type("#confirm-password", "wrong-password").go("#generate-submit");
		assertThat(b.text("#generate-error")).contains("password");
		assertThat(b.has("#new-token")).isFalse();
		b.type("#confirm-password", USER_PASSWORD).go("#generate-submit");
		assertThat(b.find("#new-token").getAttribute("value")).matches(TOKEN_PATTERN);
	}

	@Test
	void disabledUserCannotSignIn() {
		String user = newUser();
		Browser b = this.browser.signIn(ADMIN, ADMIN_PASSWORD);
		b.open("/admin/users/" + user).click("#enabled").go("#save-user");
		assertThat(b.text("#message")).contains("Saved");
		b.signIn(user, USER_PASSWORD);
		assertThat(b.path()).startsWith("/login?error");
		assertThat(b.text("#error")).contains("Wrong username or password");
	}

	@Test
	void administratorEditsAndDeletesGroupsAndUsers() {
		String group = newGroup("projects.read");
		String user = newUser(group);
		Browser b = this.browser.signIn(ADMIN, ADMIN_PASSWORD);
		b.open("/admin/groups/" + group).click("#right-projects\\.write").go("#save-group");
		assertThat(b.find("#right-projects\\.write").isSelected()).isTrue();
		b.open("/admin/groups");
		assertThat(b.text("#group-list tr[data-group='" + group + "']")).contains("projects.read", "projects.write");
		b.screenshot("groups");

		b.open("/admin/users/" + user).click("details.confirm summary").go("#confirm-delete-user");
		assertThat(b.text("#message")).contains(user + " deleted");
		b.open("/admin/groups/" + group).click("details.confirm summary").go("#confirm-delete-group");
		assertThat(b.text("#message")).contains(group + " deleted");
	}

	@Test
	void administratorCreatesAServiceAccountWithoutPasswordAndThePortalMarksIt() {
		String robot = "robot-" + suffix();
		Browser b = this.browser.signIn(ADMIN, ADMIN_PASSWORD);
		b.open("/admin/users/new").type("#username", robot).type("#displayName", "Nightly export").go("#save-user");
		assertThat(b.text("#message")).contains(robot + " created");
		assertThat(b.text("#service-account-badge")).isEqualTo("service account");
		b.screenshot("service-account");
		b.open("/admin/users?q=" + robot);
		assertThat(b.text("#user-list tr[data-username='" + robot + "']")).contains("service account");
		b.signIn(robot, "any-password-at-all");
		assertThat(b.path()).startsWith("/login");
		assertThat(b.has("#personal-menu")).isFalse();
	}

	@Test
	void disabledWhileSignedInThenTheNextPageIsTheSignInPage() {
		String user = newUser();
		Browser b = this.browser.signIn(user, USER_PASSWORD);
		assertThat(b.path()).isEqualTo("/account/tokens");
		asAdmin(Http.patch(url("/api/users/" + user)).json(java.util.Map.of("enabled", false)));
		b.open("/account/tokens");
		assertThat(b.path()).isEqualTo("/login");
	}

	@Test
	void signOutEndsTheSession() {
		Browser b = this.browser.signIn(ADMIN, ADMIN_PASSWORD);
		b.click("#personal-menu summary").go("#sign-out");
		assertThat(b.text("#message")).contains("signed out");
		b.open("/account/tokens");
		assertThat(b.path()).isEqualTo("/login");
	}

	@Test
	void usersListWhenUsersHoldTokensThenShowsHowManyAreLive() {
		String holder = newUser();
		String idle = newUser();
		generateToken(holder, Map.of("expiresAt", this.clock.instant().plus(Duration.ofHours(1)).toString()));
		tokenFor(holder);
		tokenFor(holder);
		String revoked = generateToken(holder, Map.of()).get("id").asString();
		assertThat(asAdmin(Http.delete(url("/api/users/" + holder + "/tokens/" + revoked))).status()).isEqualTo(204);
		this.clock.advance(Duration.ofHours(2));

		Browser b = this.browser.signIn(ADMIN, ADMIN_PASSWORD);
		b.open("/admin/users?q=" + holder);
		assertThat(b.text("#user-list tr[data-username='" + holder + "'] .live-tokens"))
			.as("neither the expired token nor the revoked one")
			.isEqualTo("2 live");
		assertThat(b.find("#user-list tr[data-username='" + holder + "'] .live-tokens").getAttribute("href"))
			.endsWith("/admin/users/" + holder + "/tokens");
		b.screenshot("users-live-tokens");
		b.open("/admin/users?q=" + idle);
		assertThat(b.text("#user-list tr[data-username='" + idle + "'] .live-tokens")).isEqualTo("0 live");
	}

	@Test
	void usersListWhenTheViewerMayNotListTokensThenNoTokensColumn() {
		String holder = newUser();
		tokenFor(holder);
		String manager = newUser(newGroup("users.manage"));
		Browser b = this.browser.signIn(manager, USER_PASSWORD);
		b.open("/admin/users?q=" + holder);
		assertThat(b.has("#user-list tr[data-username='" + holder + "']")).isTrue();
		assertThat(b.text("#user-list thead")).doesNotContainIgnoringCase("tokens");
		assertThat(b.has("#user-list .live-tokens")).as("listing tokens needs tokens.manage").isFalse();
	}

	@Test
	void managerFiltersAllAccessTokensDownloadsThemAndRevokesTheSelectionAfterConfirming() {
		String manager = newUser(newGroup("tokens.manage", "projects.read"));
		String owner = newUser();
		String other = newUser();
		String first = generateAs(manager, owner, "Nightly export to the data warehouse");
		this.clock.advance(Duration.ofMinutes(1));
		String second = generateAs(manager, owner, "=cmd|' /C calc'!A0");
		this.clock.advance(Duration.ofMinutes(1));
		String elsewhere = generateAs(manager, other, "Build server");

		Browser b = this.browser.signIn(manager, USER_PASSWORD);
		b.click("#configuration-menu summary").go("#menu-token-inventory");
		assertThat(b.path()).isEqualTo("/admin/tokens");
		b.type("#filter-created-by", manager).click("#filter-state-live").go("#apply-filter");
		assertThat(b.driver.findElements(By.cssSelector("#inventory-list tbody tr[data-token-id]"))).hasSize(3);
		assertThat(b.text("#inventory-count")).isEqualTo("3 tokens, 3 of them live");
		assertThat(b.source()).doesNotContain(first).doesNotContain(second).doesNotContain(elsewhere);
		Number overflow = (Number) ((org.openqa.selenium.JavascriptExecutor) b.driver)
			.executeScript("var w = document.getElementById('inventory-wrap'); return w.scrollWidth - w.clientWidth;");
		assertThat(overflow.intValue()).as("the table fits 1280 px without scrolling sideways").isLessThanOrEqualTo(0);
		assertThat(b.widths().fit()).isTrue();
		b.screenshot("inventory");

		b.go("#sort-owner");
		List<String> owners = b.driver.findElements(By.cssSelector("#inventory-list tbody tr[data-owner]"))
			.stream()
			.map((row) -> row.getAttribute("data-owner"))
			.toList();
		assertThat(owners).isSorted().hasSize(3);
		assertThat(b.text("#sort-owner")).contains("↑");
		b.go("#sort-owner");
		assertThat(b.text("#sort-owner")).contains("↓");
		assertThat(b.find("#filter-state-live").isSelected()).as("filters kept while sorting").isTrue();

		String csvLink = b.find("#download-csv").getAttribute("href");
		assertThat(csvLink).contains("createdBy=" + manager).contains("state=live");
		Http.Response csv = Http.get(csvLink)
			.header("Cookie",
					b.driver.manage()
						.getCookies()
						.stream()
						.map((cookie) -> cookie.getName() + "=" + cookie.getValue())
						.collect(java.util.stream.Collectors.joining("; ")))
			.send();
		assertThat(csv.status()).isEqualTo(200);
		assertThat(csv.header("Content-Disposition")).startsWith("attachment");
		assertThat(csv.body().split("\r\n")).hasSize(4);
		assertThat(csv.body()).contains("'=cmd|' /C calc'!A0")
			.doesNotContain(first)
			.doesNotContain(second)
			.doesNotContain(elsewhere);

		b.type("#filter-owner", owner).go("#apply-filter");
		assertThat(b.text("#revoke-selection summary")).isEqualTo("Revoke these 2 tokens");
		b.click("#revoke-selection summary");
		assertThat(b.text("#revoke-selection")).contains("The 2 live token(s) of this selection stop working");
		b.screenshot("inventory-revoke-confirmation");
		b.go("#confirm-revoke-selection");
		assertThat(b.text("#message")).startsWith("Revoked 2 access token(s)");
		assertThat(b.has("#revoke-selection")).as("nothing live left to revoke").isFalse();
		assertThat(introspect(first).json().get("active").asBoolean()).isFalse();
		assertThat(introspect(second).json().get("active").asBoolean()).isFalse();
		assertThat(introspect(elsewhere).json().get("active").asBoolean()).isTrue();
		b.screenshot("inventory-revoked");

		b.type("#filter-owner", other).go("#apply-filter");
		b.click("#revoke-selection summary");
		String added = generateAs(manager, other, "Added meanwhile");
		b.go("#confirm-revoke-selection");
		assertThat(b.text("#error")).contains("The selection changed since it was counted");
		assertThat(introspect(elsewhere).json().get("active").asBoolean()).isTrue();
		assertThat(introspect(added).json().get("active").asBoolean()).isTrue();
		assertThat(b.text("#revoke-selection summary")).isEqualTo("Revoke these 2 tokens");
		b.screenshot("inventory-selection-changed");
	}

	private String generateAs(String manager, String owner, String description) {
		Http.Response response = Http.post(url("/api/users/" + owner + "/tokens"))
			.basic(manager, USER_PASSWORD)
			.json(Map.of("description", description))
			.send();
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json().get("token").asString();
	}

	/**
	 * Every page of the portal at a laptop's width and at a phone's: none scrolls
	 * sideways (a wide table scrolls inside its own frame). The screenshots, whole pages,
	 * are kept in {@code target/screenshots/fit-1280/} and {@code fit-390/}.
	 */
	@Test
	void everyPageWhenShownAt1280And390PixelsWideThenNoneScrollsSideways() {
		String group = newGroup("projects.read", "projects.write", "audit.read");
		String user = newUser(group);
		generateToken(user, Map.of("description", "Nightly export of the translation memory to the data warehouse",
				"allowedIps", List.of("10.0.0.0/8", "192.168.100.0/24", "2001:db8:ffff::/48")));
		generateToken(user, Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(3)).toString()));
		String used = tokenFor(user);
		Http.post(url("/oauth2/introspect"))
			.basic(CLIENT_ID, CLIENT_SECRET)
			.form(Map.of("token", used, "latchkey_client_ip", "2001:db8:ffff:1234:5678:9abc:def0:1234"))
			.send();
		this.lastUses.flush();
		Http.get(url("/api/me")).basic(user, "not-the-password").send();
		SoftAssertions softly = new SoftAssertions();
		Browser b = this.browser;
		try {
			for (int width : new int[] { 1280, 390 }) {
				b.viewport(width, (width > 640) ? 900 : 844, width <= 640);
				Fit fit = new Fit(b, softly, width);
				b.driver.manage().deleteAllCookies();
				fit.page("sign-in", "/login");
				b.signIn(ADMIN, ADMIN_PASSWORD);
				fit.page("my-account", "/account/tokens");
				b.click("#generate-token");
				fit.check("my-account-generate");
				b.go("#generate-submit");
				fit.check("token-generated");
				fit.page("users", "/admin/users");
				b.click("#configuration-menu summary");
				fit.check("configuration-menu");
				fit.page("users-search", "/admin/users?q=" + user);
				fit.page("user-new", "/admin/users/new");
				fit.page("user", "/admin/users/" + user);
				b.click("details.confirm summary");
				fit.check("user-delete-confirmation");
				fit.page("user-tokens", "/admin/users/" + user + "/tokens");
				b.click("#token-list tbody tr details.confirm summary.rotate");
				b.click("#token-list tbody tr details.confirm summary.danger");
				fit.check("user-tokens-confirmations");
				b.click("#generate-token");
				fit.check("user-tokens-generate");
				fit.page("user-activity", "/admin/users/" + user + "/activity");
				fit.page("groups", "/admin/groups");
				fit.page("group", "/admin/groups/" + group);
				fit.page("revoke-leaked", "/admin/tokens/revoke");
				fit.page("inventory", "/admin/tokens?owner=" + user);
				fit.page("audit", "/admin/audit");
				fit.page("audit-filtered", "/admin/audit?user=" + user + "&type=signin.*");
				fit.page("not-found", "/admin/users/no-such-user-" + suffix());
				b.signIn(user, USER_PASSWORD);
				fit.page("user-my-account", "/account/tokens");
				b.click("#personal-menu summary");
				fit.check("personal-menu");
				fit.page("forbidden", "/admin/users");
				b.open("/account/tokens").click("#personal-menu summary").go("#sign-out");
				fit.check("signed-out");
			}
		}
		finally {
			b.defaultViewport();
		}
		softly.assertAll();
	}

	/** Checks pages at one width and keeps their screenshots. */
	private record Fit(Browser browser, SoftAssertions softly, int width) {

		void page(String name, String path) {
			this.browser.open(path);
			check(name);
		}

		void check(String name) {
			Browser.Widths widths = this.browser.widths();
			this.softly.assertThat(widths.viewport())
				.as("%s at %d px: the viewport (a page too wide for a phone zooms out)", name, this.width)
				.isEqualTo(this.width);
			this.softly.assertThat(widths.scroll())
				.as("%s at %d px: document.scrollingElement.scrollWidth", name, this.width)
				.isLessThanOrEqualTo(widths.viewport());
			this.browser.fullPageScreenshot("fit-" + this.width + "/" + name);
		}

	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
