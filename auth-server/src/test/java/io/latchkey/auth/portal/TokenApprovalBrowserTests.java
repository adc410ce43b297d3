package io.latchkey.auth.portal;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Approved token requests in the portal, in a real headless Chromium: the generate form
 * answers "request sent for approval", an approver approves it on Configuration › Token
 * requests without ever seeing a token, and the requester claims it on My Account, where
 * it is shown once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenApprovalBrowserTests extends AuthServerTestBase {

	private static final Pattern TOKEN = Pattern.compile("lkp_[0-9A-Za-z]{36}");

	private Browser browser;

	@DynamicPropertySource
	static void approvals(DynamicPropertyRegistry registry) {
		registry.add("latchkey.redis.key-prefix", () -> KEY_PREFIX + "-approval-pages");
		registry.add("latchkey.tokens.approval.required-for", () -> "projects.write");
	}

	@BeforeAll
	void openBrowser() {
		this.browser = new Browser("http://localhost:" + this.port);
	}

	@AfterAll
	void closeBrowser() {
		this.browser.close();
	}

	@Test
	void requesterAsksApproverApprovesRequesterClaimsTokenShownOnce() {
		String requester = newUser(newGroup("projects.read", "projects.write"));
		String approver = newUser(newGroup("projects.read", "projects.write", "tokens.manage"));
		String description = "Release pipeline " + UUID.randomUUID().toString().substring(0, 6);

		Browser b = this.browser.signIn(requester, USER_PASSWORD);
		assertThat(b.has("#menu-token-requests")).as("only approvers see the page").isFalse();
		b.click("#generate-token").type("#description", description).go("#generate-submit");
		assertThat(b.text("#message")).contains("Request sent for approval");
		assertThat(b.has("#new-token")).isFalse();
		assertThat(b.text("#my-requests")).contains(description, "pending");
		b.screenshot("token-request-sent");

		b.signIn(approver, USER_PASSWORD);
		b.click("#configuration-menu summary").go("#menu-token-requests");
		assertThat(b.path()).isEqualTo("/admin/tokens/requests");
		assertThat(b.text("#request-list")).contains(requester, description, "projects.write");
		b.screenshot("token-requests");
		String id = b.find("#request-list tr[data-request-id]:has(td.requester)").getAttribute("data-request-id");
		for (org.openqa.selenium.WebElement candidate : b.driver
			.findElements(org.openqa.selenium.By.cssSelector("#request-list tr[data-request-id]"))) {
			if (candidate.getText().contains(description)) {
				id = candidate.getAttribute("data-request-id");
			}
		}
		String row = "#request-list tr[data-request-id='" + id + "']";
		b.click(row + " summary.approve").type(row + " .approve-reason", "Release week").go(row + " .confirm-approve");
		b.screenshot("token-request-approved");
		assertThat(b.text("#message")).contains("approved");
		assertThat(b.has(row)).as("decided: no longer pending").isFalse();
		assertThat(TOKEN.matcher(b.source()).find()).as("the approver never sees the token").isFalse();

		b.signIn(requester, USER_PASSWORD);
		assertThat(b.text("#my-requests")).contains("approved", "by " + approver, "Release week");
		b.screenshot("token-request-claimable");
		b.go("#my-requests .claim");
		String token = b.find("#new-token").getAttribute("value");
		assertThat(token).matches(TOKEN);
		assertThat(b.text("#new-token-section")).contains("shown only this once");
		b.screenshot("token-request-claimed");
		assertThat(introspect(token).json().get("username").asString()).isEqualTo(requester);

		b.go("#save-token");
		assertThat(b.source()).doesNotContain(token);
		assertThat(b.text("#my-requests")).contains("claimed");
		assertThat(b.has("#my-requests .claim")).isFalse();
		assertThat(b.text("#token-list")).contains(description);
		List<String> audit = List.of(asAdmin(Http.get(url("/api/audit?size=50"))).body());
		assertThat(audit).noneMatch((body) -> body.contains(token));
	}

}
