package io.latchkey.auth.approval;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Eventually;
import io.latchkey.auth.Http;
import io.latchkey.auth.Mailbox;
import io.latchkey.auth.PortalSession;
import io.latchkey.auth.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Approved token requests over HTTP, on a real Redis, with notices received by a real
 * SMTP server (GreenMail) and a real HTTP receiver, and time moved by the clock: a token
 * that needs approval is a pending request until an approver who outranks its requester
 * approves it, and then exists only once its requester claims it, within the claim
 * window, once. The approver never sees it.
 */
class TokenApprovalTests extends AuthServerTestBase {

	@RegisterExtension
	static final Mailbox mailbox = Mailbox.start();

	@RegisterExtension
	static final WebhookReceiver webhook = WebhookReceiver.start();

	private final Map<String, String> emails = new ConcurrentHashMap<>();

	@DynamicPropertySource
	static void approvals(DynamicPropertyRegistry registry) {
		registry.add("latchkey.redis.key-prefix", () -> KEY_PREFIX + "-approvals");
		registry.add("latchkey.tokens.approval.required-for", () -> "projects.write");
		registry.add("latchkey.tokens.approval.lifetime-over", () -> "90d");
		registry.add("latchkey.tokens.approval.claim-within", () -> "24h");
		registry.add("latchkey.tokens.approval.max-pending-per-user", () -> "3");
		mailbox.register(registry);
		webhook.register(registry, "approval-webhook-secret");
	}

	@Test
	void generateWhenRightNeedsApprovalThenApprovedRequestClaimedOnceAndTokenWorks() throws Exception {
		String writers = newGroup("projects.read", "projects.write");
		String requester = newUserWithEmail("req-" + shortId() + "@example.com", writers);
		String approver = newApprover("appr-" + shortId() + "@example.com", "projects.read", "projects.write");

		Http.Response asked = as(requester, Http.post(url("/api/me/tokens"))
			.json(Map.of("description", "Deploys", "scopes", List.of("projects.write"))));
		assertThat(asked.status()).as(asked.body()).isEqualTo(202);
		assertThat(asked.body()).doesNotContain("\"token\"");
		String id = asked.json().get("id").asString();
		assertThat(asked.json().get("state").asString()).isEqualTo("pending");
		assertThat(mine(requester)).extracting((r) -> r.get("state").asString()).containsExactly("pending");

		List<MimeMessage> toApprover = Eventually.found("the approver is told of the request", () -> mailsTo(approver));
		assertThat(toApprover.get(0).getSubject()).contains("awaits approval").contains(requester);
		Eventually.until("the webhook is told of the request", () -> webhook.told("token.requested", id),
				(told) -> told);

		Http.Response pending = as(approver, Http.get(url("/api/token-requests?state=pending")));
		assertThat(pending.status()).isEqualTo(200);
		assertThat(pending.body()).contains(id);

		Http.Response approved = as(approver,
				Http.post(url("/api/token-requests/" + id + "/approve")).json(Map.of("reason", "Release week")));
		assertThat(approved.status()).as(approved.body()).isEqualTo(200);
		assertThat(approved.json().get("state").asString()).isEqualTo("approved");
		assertThat(approved.json().has("token")).isFalse();
		List<MimeMessage> toRequester = Eventually.found("the requester is told of the decision",
				() -> mailsTo(requester));
		assertThat(toRequester.get(0).getSubject()).contains("was approved");

		Http.Response claimed = as(requester, Http.post(url("/api/me/token-requests/" + id + "/claim")));
		assertThat(claimed.status()).as(claimed.body()).isEqualTo(201);
		assertThat(claimed.header("Cache-Control")).contains("no-store");
		String token = claimed.json().get("token").asString();
		JsonNode introspected = introspect(token).json();
		assertThat(introspected.get("active").asBoolean()).isTrue();
		assertThat(introspected.get("username").asString()).isEqualTo(requester);
		assertThat(introspected.get("scope").asString()).isEqualTo("projects.write");

		Http.Response again = as(requester, Http.post(url("/api/me/token-requests/" + id + "/claim")));
		assertThat(again.status()).as("a token is shown once").isEqualTo(409);
		assertThat(mine(requester)).extracting((r) -> r.get("state").asString()).containsExactly("claimed");

		List<String> everything = new ArrayList<>(
				webhook.received().stream().map(WebhookReceiver.Delivery::body).toList());
		for (MimeMessage mail : mailbox.received()) {
			everything.add(GreenMailUtil.getWholeMessage(mail));
		}
		everything.add(approved.body());
		everything.add(pending.body());
		assertThat(everything).as("the approver never sees the token").noneMatch((text) -> text.contains(token));
		String audit = asAdmin(Http.get(url("/api/audit?size=100"))).body();
		assertThat(audit).contains("token.requested", "token.request_approved", "token.request_claimed")
			.doesNotContain(token);
	}

	@Test
	void claimWhenWindowPassedThenLapsedAndNoToken() {
		String requester = newUser(newGroup("projects.write"));
		String approver = newApprover(null, "projects.write");
		String id = requested(requester, Map.of("scopes", List.of("projects.write")));
		assertThat(as(approver, Http.post(url("/api/token-requests/" + id + "/approve")).json(Map.of())).status())
			.isEqualTo(200);

		this.clock.advance(Duration.ofHours(24).plusMinutes(1));
		Http.Response claimed = as(requester, Http.post(url("/api/me/token-requests/" + id + "/claim")));

		assertThat(claimed.status()).isEqualTo(409);
		assertThat(claimed.json().get("detail").asString()).contains("lapsed");
		assertThat(mine(requester)).extracting((r) -> r.get("state").asString()).containsExactly("lapsed");
		assertThat(tokensOf(requester)).isEmpty();
	}

	@Test
	void denyWhenReasonGivenThenRequesterToldAndClaimRefused() throws Exception {
		String requester = newUserWithEmail("denied-" + shortId() + "@example.com", newGroup("projects.write"));
		String approver = newApprover(null, "projects.write");
		String id = requested(requester, Map.of());

		Http.Response noReason = as(approver, Http.post(url("/api/token-requests/" + id + "/deny")).json(Map.of()));
		assertThat(noReason.status()).isEqualTo(400);
		assertThat(noReason.body()).contains("reason");
		Http.Response tooLong = as(approver,
				Http.post(url("/api/token-requests/" + id + "/deny")).json(Map.of("reason", "x".repeat(501))));
		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(tooLong.body()).contains("reason");

		Http.Response denied = as(approver,
				Http.post(url("/api/token-requests/" + id + "/deny")).json(Map.of("reason", "Use a read token")));
		assertThat(denied.status()).as(denied.body()).isEqualTo(200);
		assertThat(denied.json().get("state").asString()).isEqualTo("denied");
		List<MimeMessage> told = Eventually.found("the requester is told of the denial", () -> mailsTo(requester));
		assertThat(told.get(0).getSubject()).contains("was denied");
		assertThat(GreenMailUtil.getBody(told.get(0))).contains("Use a read token");

		assertThat(as(requester, Http.post(url("/api/me/token-requests/" + id + "/claim"))).status()).isEqualTo(409);
		assertThat(as(approver, Http.post(url("/api/token-requests/" + id + "/approve")).json(Map.of())).status())
			.as("decided once")
			.isEqualTo(409);
		assertThat(tokensOf(requester)).isEmpty();
		assertThat(asAdmin(Http.get(url("/api/audit?size=100"))).body()).contains("token.request_denied",
				"Use a read token");
	}

	@Test
	void approveWhenApproverDoesNotOutrankRequesterThenRefusedAndNotListed() {
		String requester = newUser(newGroup("projects.write", "audit.read"));
		String approver = newApprover(null, "projects.write");
		String id = requested(requester, Map.of("scopes", List.of("projects.write")));

		Http.Response approved = as(approver, Http.post(url("/api/token-requests/" + id + "/approve")).json(Map.of()));

		assertThat(approved.status()).isEqualTo(403);
		assertThat(approved.json().get("rule").asString()).isEqualTo("outrank");
		assertThat(as(approver, Http.get(url("/api/token-requests"))).body()).doesNotContain(id);
		assertThat(mine(requester)).extracting((r) -> r.get("state").asString()).containsExactly("pending");
	}

	@Test
	void approveWhenOwnRequestThenRefused() {
		String approver = newApprover(null, "projects.write");
		Http.Response asked = as(approver, Http.post(url("/api/me/tokens")).json(Map.of()));
		assertThat(asked.status()).isEqualTo(202);
		String id = asked.json().get("id").asString();

		Http.Response approved = as(approver, Http.post(url("/api/token-requests/" + id + "/approve")).json(Map.of()));

		assertThat(approved.status()).isEqualTo(403);
		assertThat(approved.json().get("rule").asString()).isEqualTo("own-request");
		assertThat(as(approver, Http.get(url("/api/token-requests"))).body()).doesNotContain(id);
	}

	@Test
	void claimWhenRightLostSinceRequestThenNotGranted() {
		String group = newGroup("projects.read", "projects.write");
		String requester = newUser(group);
		String approver = newApprover(null, "projects.read", "projects.write");
		String id = requested(requester, Map.of());
		assertThat(as(approver, Http.post(url("/api/token-requests/" + id + "/approve")).json(Map.of())).status())
			.isEqualTo(200);
		assertThat(asAdmin(
				Http.patch(url("/api/users/" + requester)).json(Map.of("groups", List.of(newGroup("projects.read")))))
			.status()).isEqualTo(200);

		Http.Response claimed = as(requester, Http.post(url("/api/me/token-requests/" + id + "/claim")));

		assertThat(claimed.status()).as(claimed.body()).isEqualTo(201);
		JsonNode introspected = introspect(claimed.json().get("token").asString()).json();
		assertThat(introspected.get("scope").asString()).as("no scopes named: the rights held, and self-service")
			.isEqualTo("projects.read tokens.self");
		asAdmin(Http.patch(url("/api/users/" + requester)).json(Map.of("groups", List.of(group))));
		introspected = introspect(claimed.json().get("token").asString()).json();
		assertThat(introspected.get("scope").asString()).as("the right regained stays out of the token")
			.isEqualTo("projects.read tokens.self");
	}

	@Test
	void generateWhenLifetimeOverLimitThenRequestAndOtherwiseTokenAsToday() {
		String requester = newUser(newGroup("projects.read"));

		Http.Response shortLived = as(requester, Http.post(url("/api/me/tokens")).json(Map.of()));
		Http.Response longLived = as(requester, Http.post(url("/api/me/tokens"))
			.json(Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(120)).toString())));

		assertThat(shortLived.status()).isEqualTo(201);
		assertThat(longLived.status()).isEqualTo(202);
		assertThat(longLived.json().get("because").toString()).contains("lifetime over 90 days");
	}

	@Test
	void requestWhenTooManyPendingThenConflict() {
		String requester = newUser(newGroup("projects.write"));
		for (int i = 0; i < 3; i++) {
			requested(requester, Map.of());
		}
		Http.Response fourth = as(requester, Http.post(url("/api/me/token-requests")).json(Map.of()));
		assertThat(fourth.status()).isEqualTo(409);
		assertThat(fourth.json().get("detail").asString()).contains("awaiting a decision");
	}

	@Test
	void claimWhenSomebodyElsesRequestThenNotFound() {
		String requester = newUser(newGroup("projects.write"));
		String other = newUser(newGroup("projects.write"));
		String approver = newApprover(null, "projects.write");
		String id = requested(requester, Map.of());
		as(approver, Http.post(url("/api/token-requests/" + id + "/approve")).json(Map.of()));

		assertThat(as(other, Http.post(url("/api/me/token-requests/" + id + "/claim"))).status()).isEqualTo(404);
		assertThat(as(requester, Http.post(url("/api/me/token-requests/" + id + "/claim"))).status()).isEqualTo(201);
	}

	@Test
	void generateForOneselfWhenRightNeedsApprovalThenRequestAsForOnesOwn() {
		String manager = newApprover(null, "projects.write");

		Http.Response asked = as(manager,
				Http.post(url("/api/users/" + manager + "/tokens")).json(Map.of("scopes", List.of("projects.write"))));

		assertThat(asked.status()).as(asked.body()).isEqualTo(202);
		assertThat(asked.body()).doesNotContain("\"token\"");
		assertThat(asked.json().get("requester").asString()).isEqualTo(manager);
		assertThat(asked.json().get("requestedBy").asString()).isEqualTo(manager);
		assertThat(tokensOf(manager)).isEmpty();
		Http.Response approved = as(manager,
				Http.post(url("/api/token-requests/" + asked.json().get("id").asString() + "/approve")).json(Map.of()));
		assertThat(approved.status()).isEqualTo(403);
		assertThat(approved.json().get("rule").asString()).isEqualTo("own-request");
	}

	@Test
	void generateForSomebodyElseWhenRightNeedsApprovalThenThirdPersonApprovesAndOnlyTheMakerClaims() {
		String service = newUser(newGroup("projects.read", "projects.write"));
		String maker = newApprover(null, "projects.read", "projects.write", "audit.read");
		String narrowApprover = newApprover(null, "projects.read", "projects.write");
		String approver = newApprover(null, "projects.read", "projects.write", "audit.read");

		Http.Response asked = as(maker, Http.post(url("/api/users/" + service + "/tokens"))
			.json(Map.of("description", "CI deploys", "scopes", List.of("projects.write"))));

		assertThat(asked.status()).as("a manager never holds such a token without a second person").isEqualTo(202);
		assertThat(asked.body()).doesNotContain("\"token\"");
		String id = asked.json().get("id").asString();
		assertThat(asked.json().get("requester").asString()).isEqualTo(service);
		assertThat(asked.json().get("requestedBy").asString()).isEqualTo(maker);
		assertThat(tokensOf(service)).isEmpty();
		assertThat(mine(service)).extracting((r) -> r.get("id").asString()).containsExactly(id);
		assertThat(mine(maker)).extracting((r) -> r.get("id").asString()).containsExactly(id);

		Http.Response byMaker = as(maker, Http.post(url("/api/token-requests/" + id + "/approve")).json(Map.of()));
		assertThat(byMaker.status()).isEqualTo(403);
		assertThat(byMaker.json().get("rule").asString()).isEqualTo("own-request");
		assertThat(as(maker, Http.get(url("/api/token-requests"))).body()).doesNotContain(id);
		Http.Response byNarrow = as(narrowApprover,
				Http.post(url("/api/token-requests/" + id + "/approve")).json(Map.of()));
		assertThat(byNarrow.status()).as("the approver outranks the maker too").isEqualTo(403);
		assertThat(byNarrow.json().get("rule").asString()).isEqualTo("outrank");
		assertThat(as(narrowApprover, Http.get(url("/api/token-requests"))).body()).doesNotContain(id);
		assertThat(as(approver, Http.get(url("/api/token-requests"))).body()).contains(id);
		Http.Response approved = as(approver,
				Http.post(url("/api/token-requests/" + id + "/approve")).json(Map.of("reason", "CI needs it")));
		assertThat(approved.status()).as(approved.body()).isEqualTo(200);

		assertThat(as(service, Http.post(url("/api/me/token-requests/" + id + "/claim"))).status())
			.as("the owner did not ask for it: the maker claims it")
			.isEqualTo(404);
		Http.Response claimed = as(maker, Http.post(url("/api/me/token-requests/" + id + "/claim")));
		assertThat(claimed.status()).as(claimed.body()).isEqualTo(201);
		JsonNode introspected = introspect(claimed.json().get("token").asString()).json();
		assertThat(introspected.get("active").asBoolean()).isTrue();
		assertThat(introspected.get("username").asString()).isEqualTo(service);
		assertThat(introspected.get("scope").asString()).isEqualTo("projects.write");
		assertThat(tokensOf(service)).extracting((t) -> t.get("createdBy").asString()).containsExactly(maker);
		assertThat(as(maker, Http.post(url("/api/me/token-requests/" + id + "/claim"))).status()).isEqualTo(409);
		assertThat(asAdmin(Http.get(url("/api/audit?size=100"))).body()).contains("\"requested_by\":\"" + maker);
	}

	@Test
	void claimForSomebodyElseWhenMakerNoLongerOutranksOwnerThenRefusedAndTokenHasTheMakersCeiling() {
		String service = newUser(newGroup("projects.read", "projects.write"));
		String maker = newApprover(null, "projects.read", "projects.write");
		String approver = newApprover(null, "projects.read", "projects.write");
		Http.Response asked = as(maker, Http.post(url("/api/users/" + service + "/tokens"))
			.json(Map.of("scopes", List.of("projects.read", "projects.write"))));
		assertThat(asked.status()).isEqualTo(202);
		String id = asked.json().get("id").asString();
		assertThat(as(approver, Http.post(url("/api/token-requests/" + id + "/approve")).json(Map.of())).status())
			.isEqualTo(200);
		String makerGroup = newGroup("tokens.manage", "projects.read", "projects.write");
		assertThat(asAdmin(Http.patch(url("/api/users/" + maker))
			.json(Map.of("groups", List.of(newGroup("tokens.manage", "projects.read"))))).status()).isEqualTo(200);

		Http.Response refused = as(maker, Http.post(url("/api/me/token-requests/" + id + "/claim")));

		assertThat(refused.status()).as(refused.body()).isEqualTo(403);
		assertThat(refused.json().get("rule").asString()).isEqualTo("outrank");
		assertThat(tokensOf(service)).isEmpty();
		asAdmin(Http.patch(url("/api/users/" + maker)).json(Map.of("groups", List.of(makerGroup))));
		Http.Response claimed = as(maker, Http.post(url("/api/me/token-requests/" + id + "/claim")));
		assertThat(claimed.status()).as(claimed.body()).isEqualTo(201);
		assertThat(tokensOf(service)).singleElement()
			.satisfies((token) -> assertThat(token.get("ceiling").toString()).contains("projects.write"));
	}

	@Test
	void generateForSomebodyElseWhenLongLivedThenRequest() {
		String service = newUser(newGroup("projects.read"));
		String maker = newApprover(null, "projects.read");

		Http.Response shortLived = as(maker, Http.post(url("/api/users/" + service + "/tokens")).json(Map.of()));
		Http.Response longLived = as(maker, Http.post(url("/api/users/" + service + "/tokens"))
			.json(Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(300)).toString())));

		assertThat(shortLived.status()).isEqualTo(201);
		assertThat(longLived.status()).as(longLived.body()).isEqualTo(202);
		assertThat(longLived.json().get("because").toString()).contains("lifetime over 90 days");
		assertThat(tokensOf(service)).hasSize(1);
	}

	@Test
	void generateOnPortalAdminPageWhenRightNeedsApprovalThenRequestAndNoTokenShown() {
		String service = newUser(newGroup("projects.read", "projects.write"));
		String maker = newApprover(null, "users.manage", "projects.read", "projects.write");
		PortalSession portal = session().signedIn(maker, USER_PASSWORD);
		String page = portal.get("/admin/users/" + service + "/tokens").body();

		Http.Response generated = portal.form("/admin/users/" + service + "/tokens",
				Map.of("nonce", PortalSession.nonce(page), "description", "portal bypass", "lifetimeDays", "7"));

		assertThat(generated.status()).isEqualTo(200);
		assertThat(generated.body()).doesNotContain("id=\"new-token\"").contains("Request sent for approval");
		assertThat(tokensOf(service)).isEmpty();
		assertThat(mine(maker)).extracting((r) -> r.get("requester").asString()).containsExactly(service);
		String own = portal.get("/admin/users/" + maker + "/tokens").body();
		Http.Response ownGenerated = portal.form("/admin/users/" + maker + "/tokens",
				Map.of("nonce", PortalSession.nonce(own), "description", "own bypass", "lifetimeDays", "7"));
		assertThat(ownGenerated.body()).doesNotContain("id=\"new-token\"").contains("Request sent for approval");
		assertThat(tokensOf(maker)).isEmpty();
	}

	@Test
	void rotateWhenExpiryBeyondLifetimeOverThenApprovalRequiredAndDefaultStaysWithinApproval() {
		String user = newUser(newGroup("projects.read"));
		String approver = newApprover(null, "projects.read");
		Http.Response shortLived = as(user, Http.post(url("/api/me/tokens")).json(Map.of()));
		assertThat(shortLived.status()).isEqualTo(201);
		String shortId = shortLived.json().get("id").asString();

		Http.Response extended = as(user, Http.post(url("/api/me/tokens/" + shortId + "/rotate"))
			.json(Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(200)).toString())));
		assertThat(extended.status()).as(extended.body()).isEqualTo(403);
		assertThat(extended.json().get("rule").asString()).isEqualTo("approval-required");
		assertThat(extended.json().get("detail").asString()).contains("token request");
		Http.Response byManager = as(approver, Http.post(url("/api/users/" + user + "/tokens/" + shortId + "/rotate"))
			.json(Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(200)).toString())));
		assertThat(byManager.status()).isEqualTo(403);
		assertThat(byManager.json().get("rule").asString()).isEqualTo("approval-required");

		String id = requested(user,
				Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(120)).toString(), "scopes", List.of()));
		assertThat(as(approver, Http.post(url("/api/token-requests/" + id + "/approve")).json(Map.of())).status())
			.isEqualTo(200);
		Http.Response claimed = as(user, Http.post(url("/api/me/token-requests/" + id + "/claim")));
		assertThat(claimed.status()).isEqualTo(201);
		Instant approvedUntil = Instant.parse(claimed.json().get("expiresAt").asString());
		this.clock.advance(Duration.ofDays(60));

		Http.Response beyond = Http.post(url("/api/tokens/self/rotate"))
			.bearer(claimed.json().get("token").asString())
			.json(Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(100)).toString()))
			.send();
		assertThat(beyond.status()).as(beyond.body()).isEqualTo(403);
		assertThat(beyond.json().get("rule").asString()).isEqualTo("approval-required");
		Http.Response rotated = Http.post(url("/api/tokens/self/rotate"))
			.bearer(claimed.json().get("token").asString())
			.send();
		assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
		assertThat(Instant.parse(rotated.json().get("expiresAt").asString()))
			.as("within what needs no approval, not another 120 days")
			.isEqualTo(this.clock.instant().plus(Duration.ofDays(90)))
			.isAfter(approvedUntil);
	}

	@Test
	void exchangeWhenTokenWasApprovedThenJwtWithinTheApprovedRightsAndTheTokensLife() {
		String user = newUser(newGroup("projects.read", "projects.write"));
		String approver = newApprover(null, "projects.read", "projects.write");
		Instant asked = this.clock.instant().plus(Duration.ofDays(120));
		String id = requested(user, Map.of("scopes", List.of("projects.write"), "expiresAt", asked.toString()));
		assertThat(as(approver, Http.post(url("/api/token-requests/" + id + "/approve")).json(Map.of())).status())
			.isEqualTo(200);
		JsonNode claimed = as(user, Http.post(url("/api/me/token-requests/" + id + "/claim"))).json();
		String token = claimed.get("token").asString();

		Http.Response exchanged = exchange(token, Map.of());
		Http.Response wider = exchange(token, Map.of("scope", "projects.read"));

		assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
		Jwt jwt = NimbusJwtDecoder.withJwkSetUri(url("/oauth2/jwks"))
			.build()
			.decode(exchanged.json().get("access_token").asString());
		assertThat(jwt.getClaimAsStringList("scope")).containsExactly("projects.write");
		assertThat(jwt.getExpiresAt()).isBeforeOrEqualTo(Instant.parse(claimed.get("expiresAt").asString()));
		assertThat(wider.status()).as("a right the owner holds but nobody approved").isEqualTo(400);
		assertThat(wider.json().get("error").asString()).isEqualTo("invalid_scope");
	}

	private Http.Response exchange(String subjectToken, Map<String, String> extra) {
		Map<String, String> form = new java.util.LinkedHashMap<>(
				Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token", subjectToken,
						"subject_token_type", "urn:ietf:params:oauth:token-type:access_token"));
		form.putAll(extra);
		return Http.post(url("/oauth2/token")).basic(CLIENT_ID, CLIENT_SECRET).form(form).send();
	}

	@Test
	void generateWithoutScopesWhenNoApprovalNeededThenARightGrantedLaterStaysOut() {
		String reader = newUser(newGroup("projects.read"));
		String manager = newApprover(null, "projects.read", "projects.write");
		Http.Response own = as(reader, Http.post(url("/api/me/tokens")).json(Map.of()));
		Http.Response made = as(manager, Http.post(url("/api/users/" + reader + "/tokens")).json(Map.of()));
		assertThat(own.status()).as(own.body()).isEqualTo(201);
		assertThat(made.status()).as(made.body()).isEqualTo(201);

		assertThat(asAdmin(Http.patch(url("/api/users/" + reader))
			.json(Map.of("groups", List.of(newGroup("projects.read", "projects.write"))))).status()).isEqualTo(200);

		assertThat(introspect(own.json().get("token").asString()).json().get("scope").asString())
			.as("a right that needs approval, granted after the token was made without it")
			.isEqualTo("projects.read tokens.self");
		assertThat(introspect(made.json().get("token").asString()).json().get("scope").asString())
			.doesNotContain("projects.write");
	}

	private String requested(String requester, Map<String, Object> body) {
		Http.Response asked = as(requester, Http.post(url("/api/me/tokens")).json(body));
		assertThat(asked.status()).as(asked.body()).isEqualTo(202);
		return asked.json().get("id").asString();
	}

	private List<JsonNode> mine(String requester) {
		Http.Response response = as(requester, Http.get(url("/api/me/token-requests")));
		assertThat(response.status()).isEqualTo(200);
		List<JsonNode> requests = new ArrayList<>();
		response.json().forEach(requests::add);
		return requests;
	}

	private List<JsonNode> tokensOf(String username) {
		List<JsonNode> tokens = new ArrayList<>();
		asAdmin(Http.get(url("/api/users/" + username + "/tokens"))).json().forEach(tokens::add);
		return tokens;
	}

	/** A user with {@code tokens.manage} and the given rights, and an e-mail address. */
	private String newApprover(String email, String... rights) {
		List<String> all = new ArrayList<>(List.of(rights));
		all.add("tokens.manage");
		String username = newUser(newGroup(all.toArray(String[]::new)));
		if (email != null) {
			setEmail(username, email);
		}
		return username;
	}

	/** Remembers each address set, for {@link #mailsTo}. */
	@Override
	protected void setEmail(String username, String email) {
		super.setEmail(username, email);
		this.emails.put(username, email);
	}

	private List<MimeMessage> mailsTo(String username) {
		return mailbox.to(this.emails.get(username));
	}

}
