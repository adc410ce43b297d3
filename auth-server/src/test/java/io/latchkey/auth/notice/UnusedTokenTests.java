package io.latchkey.auth.notice;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.mail.internet.MimeMessage;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.auth.Mailbox;
import io.latchkey.auth.WebhookReceiver;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.notice.ExpiryNoticeSchedule;
import io.latchkey.authorization.notice.ExpiryNotifier;
import io.latchkey.authorization.notice.NoticeChannel;
import io.latchkey.authorization.notice.UnusedTokenRevocation;
import io.latchkey.authorization.notice.UnusedTokenSchedule;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.token.LastUseRecorder;
import io.latchkey.authorization.token.TokenRepository;
import io.latchkey.authorization.token.TokenRevocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens nobody uses ({@code latchkey.tokens.revoke-unused-after=30d}, the notice 7 days
 * before): told by e-mail (a real SMTP server, GreenMail) and signed webhook (a real HTTP
 * receiver), then revoked once with reason {@code unused}, even with two instances
 * running the schedule at once; a use in between resets the clock. Time moves by the
 * clock; the expiry-notice schedule runs it all.
 */
class UnusedTokenTests extends AuthServerTestBase {

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

	@RegisterExtension
	static final Mailbox mailbox = Mailbox.start();

	@RegisterExtension
	static final WebhookReceiver webhook = WebhookReceiver.start();

	@Autowired
	private ExpiryNotifier notifier;

	@Autowired
	private LastUseRecorder lastUses;

	@Autowired
	private TokenRepository tokens;

	@Autowired
	private ExpiryNoticeSchedule expiries;

	@Autowired
	private UnusedTokenSchedule schedule;

	@Autowired
	private OwnerDirectory owners;

	@Autowired
	private TokenRevocation revocation;

	@Autowired
	private List<NoticeChannel> channels;

	@Autowired
	private AuditLog audit;

	@DynamicPropertySource
	static void notices(DynamicPropertyRegistry registry) {
		registry.add("latchkey.redis.key-prefix", () -> KEY_PREFIX + "-unused");
		registry.add("latchkey.tokens.revoke-unused-after", () -> "30d");
		mailbox.register(registry);
		registry.add("latchkey.notices.check-every", () -> "1d");
		registry.add("latchkey.notices.portal-url", () -> "https://latchkey.example.com/account/tokens");
		webhook.register(registry, "webhook-test-secret");
		registry.add("latchkey.notices.webhook.backoff", () -> "10ms");
	}

	@Test
	void unusedTokenWhenNeverUsedThenToldAtTheStageThenRevokedOnceWithReasonUnused() throws Exception {
		String user = newUserWithEmail("idle-" + shortId() + "@example.com");
		Instant created = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		JsonNode token = generateToken(user,
				Map.of("description", "Old export", "expiresAt", created.plus(Duration.ofDays(200)).toString()));
		String id = token.get("id").asString();

		this.clock.advance(Duration.ofDays(22));
		this.notifier.runOnce();
		assertThat(mailbox.about(user)).as("8 days before the revocation: nothing yet").isEmpty();

		this.clock.advance(Duration.ofDays(1));
		this.notifier.runOnce();
		this.notifier.runOnce();
		List<MimeMessage> mails = mailbox.about(user);
		assertThat(mails).as("the 7-day stage, once").hasSize(1);
		String revokesOn = DAY.format(created.plus(Duration.ofDays(30)));
		assertThat(mails.get(0).getSubject()).isEqualTo("Access token \"Old export\" (" + token.get("hint").asString()
				+ ") will be revoked on " + revokesOn + " unless it is used");
		assertThat((String) mails.get(0).getContent()).contains("Last used:   never")
			.contains("https://latchkey.example.com/account/tokens")
			.doesNotContain(token.get("token").asString());
		assertThat(deliveriesFor(user)).singleElement().satisfies((body) -> {
			JsonNode payload = JsonMapper.builder().build().readTree(body);
			assertThat(payload.get("type").asString()).isEqualTo("token.unused");
			assertThat(payload.get("days_before").asInt()).isEqualTo(7);
			assertThat(payload.get("revokes_at").asString()).isEqualTo(created.plus(Duration.ofDays(30)).toString());
			assertThat(payload.get("token").get("id").asString()).isEqualTo(id);
			assertThat(payload.get("token").get("last_used_at").isNull()).isTrue();
			assertThat(body).doesNotContain(token.get("token").asString());
		});
		assertThat(auditOf("notice.sent", user)).singleElement()
			.satisfies((sent) -> assertThat(sent.get("notice").asString()).isEqualTo("token.unused"));
		assertThat(listed(user, id).get("status").asString()).isEqualTo("active");

		this.clock.advance(Duration.ofDays(7));
		this.notifier.runOnce();
		this.notifier.runOnce();
		assertThat(introspect(token.get("token").asString()).body()).isEqualTo("{\"active\":false}");
		assertThat(auditOf("token.revoked", user)).singleElement().satisfies((revoked) -> {
			assertThat(revoked.get("reason").asString()).isEqualTo("unused");
			assertThat(revoked.get("token_id").asString()).isEqualTo(id);
			assertThat(revoked.toString()).contains("system");
		});
		JsonNode listed = listed(user, id);
		assertThat(listed.get("status").asString()).isEqualTo("revoked");
		assertThat(listed.get("revocationReason").asString()).isEqualTo("unused");
		assertThat(listed.get("revokedBy").asString()).isEqualTo("system");
		String page = session().signedIn(user, USER_PASSWORD).get("/account/tokens").body();
		assertThat(page).contains("revoked: unused");
		assertThat(mailbox.about(user)).as("no second notice").hasSize(1);
	}

	@Test
	void unusedTokenWhenUsedAfterTheNoticeThenNotRevokedAndItsClockStartsAgain() throws Exception {
		String user = newUserWithEmail("busy-" + shortId() + "@example.com");
		JsonNode token = generateToken(user,
				Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(200)).toString()));
		String value = token.get("token").asString();
		this.clock.advance(Duration.ofDays(25));
		this.notifier.runOnce();
		assertThat(mailbox.about(user)).hasSize(1);

		assertThat(introspect(value).json().get("active").asBoolean()).isTrue();
		this.lastUses.flush();
		this.clock.advance(Duration.ofDays(10));
		this.notifier.runOnce();
		Instant usedAgain = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		assertThat(introspect(value).json().get("active").asBoolean()).as("used 10 days ago: kept").isTrue();
		this.lastUses.flush();
		assertThat(auditOf("token.revoked", user)).isEmpty();
		assertThat(mailbox.about(user)).as("its clock starts again at the use").hasSize(1);

		this.clock.advance(Duration.ofDays(23));
		this.notifier.runOnce();
		assertThat(mailbox.about(user)).as("a new round of notices after the last use").hasSize(2);
		assertThat(mailbox.about(user).get(1).getContent().toString()).doesNotContain("Last used:   never");
		assertThat(deliveriesFor(user)).last()
			.asString()
			.doesNotContain("\"last_used_at\":null")
			.contains("\"revokes_at\":\"" + usedAgain.plus(Duration.ofDays(30)) + "\"");
	}

	@Test
	void unusedTokenWhenIdleFarBeyondTheLimitOnTheFirstRunThenToldFirstAndRevokedOnlyAStageLater() throws Exception {
		String user = newUserWithEmail("dormant-" + shortId() + "@example.com");
		JsonNode token = generateToken(user,
				Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(300)).toString()));
		String id = token.get("id").asString();

		this.clock.advance(Duration.ofDays(120));
		Instant firstRun = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		this.notifier.runOnce();
		assertThat(auditOf("token.revoked", user)).as("idle 120 days when the rule first runs: not revoked untold")
			.isEmpty();
		assertThat(listed(user, id).get("status").asString()).isEqualTo("active");
		List<MimeMessage> mails = mailbox.about(user);
		assertThat(mails).as("told at once, with the last stage").hasSize(1);
		assertThat(mails.get(0).getSubject())
			.endsWith("will be revoked on " + DAY.format(firstRun.plus(Duration.ofDays(7))) + " unless it is used");
		assertThat(deliveriesFor(user)).singleElement()
			.asString()
			.contains("\"revokes_at\":\"" + firstRun.plus(Duration.ofDays(7)) + "\"");

		this.clock.advance(Duration.ofDays(6));
		this.notifier.runOnce();
		assertThat(listed(user, id).get("status").asString()).as("6 days after the notice").isEqualTo("active");
		assertThat(mailbox.about(user)).as("no second notice").hasSize(1);

		this.clock.advance(Duration.ofDays(1));
		this.notifier.runOnce();
		assertThat(auditOf("token.revoked", user)).singleElement()
			.satisfies((revoked) -> assertThat(revoked.get("reason").asString()).isEqualTo("unused"));
		assertThat(listed(user, id).get("revocationReason").asString()).isEqualTo("unused");
	}

	@Test
	void unusedTokenWhenUsedAfterTheFirstRunsNoticeThenNotRevoked() throws Exception {
		String user = newUserWithEmail("woken-" + shortId() + "@example.com");
		JsonNode token = generateToken(user,
				Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(300)).toString()));
		this.clock.advance(Duration.ofDays(120));
		this.notifier.runOnce();
		assertThat(mailbox.about(user)).hasSize(1);

		assertThat(introspect(token.get("token").asString()).json().get("active").asBoolean()).isTrue();
		this.lastUses.flush();
		this.clock.advance(Duration.ofDays(7).plusMinutes(1));
		this.notifier.runOnce();
		assertThat(auditOf("token.revoked", user)).as("used after the notice").isEmpty();
		assertThat(listed(user, token.get("id").asString()).get("status").asString()).isEqualTo("active");
		assertThat(mailbox.about(user)).as("its clock starts again at the use").hasSize(1);
	}

	@Test
	void unusedTokenWhenTwoInstancesRunAtOnceThenOneNoticeOneRevocationOneAuditRecord() throws Exception {
		String user = newUserWithEmail("twice-" + shortId() + "@example.com");
		JsonNode token = generateToken(user,
				Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(200)).toString()));
		ExpiryNotifier other = new ExpiryNotifier(this.tokens, this.expiries, this.owners, this.channels,
				List.of(Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(1)), Duration.ofDays(1),
				Duration.ofHours(1), this.audit);
		UnusedTokenRevocation otherUnused = new UnusedTokenRevocation(this.schedule, this.tokens, this.owners,
				this.revocation, this.channels, Duration.ofDays(30), List.of(Duration.ofDays(7)), Duration.ofHours(1),
				this.audit);
		otherUnused.setClock(this.clock);
		other.setClock(this.clock);
		other.setUnusedTokenRevocation(otherUnused);

		this.clock.advance(Duration.ofDays(23).plusMinutes(1));
		atOnce(this.notifier::runOnce, other::runOnce);
		assertThat(mailbox.about(user)).hasSize(1);
		assertThat(deliveriesFor(user)).hasSize(1);

		this.clock.advance(Duration.ofDays(7));
		atOnce(this.notifier::runOnce, other::runOnce);
		assertThat(introspect(token.get("token").asString()).body()).isEqualTo("{\"active\":false}");
		assertThat(auditOf("token.revoked", user)).hasSize(1);
		assertThat(auditOf("notice.sent", user)).hasSize(1);
		assertThat(mailbox.about(user)).hasSize(1);
		assertThat(deliveriesFor(user)).hasSize(1);
	}

	@Test
	void unusedTokenWhenRotatedThenNotRevokedOnItsOwnAndItsSuccessorCarriesOn() throws Exception {
		String user = newUserWithEmail("rotated-" + shortId() + "@example.com");
		JsonNode first = generateToken(user,
				Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(200)).toString()));
		this.clock.advance(Duration.ofDays(20));
		Http.Response rotated = asAdmin(
				Http.post(url("/api/users/" + user + "/tokens/" + first.get("id").asString() + "/rotate"))
					.json(Map.of()));
		assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
		this.clock.advance(Duration.ofDays(11));
		this.notifier.runOnce();
		assertThat(auditOf("token.revoked", user))
			.as("the rotated token, unused for 31 days, is not revoked (with its successor after it)")
			.isEmpty();
		assertThat(introspect(rotated.json().get("token").asString()).json().get("active").asBoolean()).isTrue();
	}

	private void atOnce(Callable<Integer> one, Callable<Integer> two) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			for (Future<Integer> run : pool.invokeAll(List.of(one, two))) {
				run.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	private JsonNode listed(String user, String id) {
		Http.Response response = asAdmin(Http.get(url("/api/users/" + user + "/tokens")));
		assertThat(response.status()).isEqualTo(200);
		return response.json()
			.values()
			.stream()
			.filter((token) -> token.get("id").asString().equals(id))
			.findFirst()
			.orElseThrow();
	}

	private List<JsonNode> auditOf(String type, String user) {
		Http.Response response = asAdmin(Http.get(url("/api/audit?type=" + type + "&user=" + user)));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json().values().stream().toList();
	}

	private static List<String> deliveriesFor(String owner) {
		return webhook.about(owner).stream().map(WebhookReceiver.Delivery::body).toList();
	}

}
