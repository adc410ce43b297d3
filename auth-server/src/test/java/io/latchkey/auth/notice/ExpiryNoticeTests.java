package io.latchkey.auth.notice;

import java.time.Duration;
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
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.token.TokenRepository;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expiry notices received by a real SMTP server (GreenMail, in this JVM) and a real HTTP
 * receiver, with time moved by the clock: each stage once per token even with two
 * notifiers at once, a missed run catching up with the current stage only, signed
 * webhooks retried with backoff, and a failed notice tried again.
 */
class ExpiryNoticeTests extends AuthServerTestBase {

	private static final String SECRET = "webhook-test-secret";

	@RegisterExtension
	static final Mailbox mailbox = Mailbox.start();

	@RegisterExtension
	static final WebhookReceiver webhook = WebhookReceiver.start();

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private ExpiryNotifier notifier;

	@Autowired
	private TokenRepository tokens;

	@Autowired
	private ExpiryNoticeSchedule schedule;

	@Autowired
	private OwnerDirectory owners;

	@Autowired
	private List<NoticeChannel> channels;

	@Autowired
	private AuditLog audit;

	@DynamicPropertySource
	static void notices(DynamicPropertyRegistry registry) {
		registry.add("latchkey.redis.key-prefix", () -> KEY_PREFIX + "-notices");
		mailbox.register(registry);
		registry.add("latchkey.notices.check-every", () -> "1d");
		registry.add("latchkey.notices.retry-after", () -> "1h");
		registry.add("latchkey.notices.portal-url", () -> "https://latchkey.example.com/account/tokens");
		webhook.register(registry, SECRET);
		registry.add("latchkey.notices.webhook.max-attempts", () -> "3");
		registry.add("latchkey.notices.webhook.backoff", () -> "10ms");
	}

	/**
	 * Tokens of earlier tests told of what is due now, so that only this test's arrive.
	 */
	@BeforeEach
	void earlierTokensToldAlready() throws Exception {
		this.notifier.runOnce();
		mailbox.clear();
		webhook.clear();
	}

	@Test
	void noticeWhenTokenEntersEachStageThenOwnerAndCreatorMailedAndWebhookSignedOncePerStage() throws Exception {
		String user = newUserWithEmail("owner-" + shortId() + "@example.com");
		String adminEmail = "admin-" + shortId() + "@example.com";
		assertThat(asAdmin(Http.patch(url("/api/users/" + ADMIN)).json(Map.of("email", adminEmail))).status())
			.isEqualTo(200);
		JsonNode token = generateToken(user, Map.of("description", "Nightly export", "expiresAt",
				this.clock.instant().plus(Duration.ofDays(40)).toString()));

		this.notifier.runOnce();
		assertThat(mailbox.about(user)).as("40 days before expiry: nothing yet").isEmpty();
		this.clock.advance(Duration.ofDays(10).plusMinutes(1));
		this.notifier.runOnce();
		this.notifier.runOnce();

		List<MimeMessage> mails = mailbox.about(user);
		assertThat(mails).as("one message, each stage once").hasSize(1);
		assertThat(mails.get(0).getSubject())
			.isEqualTo("Access token \"Nightly export\" (" + token.get("hint").asString() + ") expires in 30 days");
		assertThat(List.of(mails.get(0).getAllRecipients()).toString()).contains(adminEmail).contains("owner-");
		String body = (String) mails.get(0).getContent();
		assertThat(body).contains("Owner:       " + user)
			.contains("https://latchkey.example.com/account/tokens")
			.doesNotContain(token.get("token").asString());

		assertThat(webhook.about(user)).hasSize(1);
		WebhookReceiver.Delivery delivery = webhook.about(user).get(0);
		assertThat(delivery.headers().get("X-latchkey-signature")).isEqualTo(delivery.signature(SECRET));
		JsonNode payload = JsonMapper.builder().build().readTree(delivery.body());
		assertThat(payload.get("type").asString()).isEqualTo("token.expiring");
		assertThat(payload.get("days_before").asInt()).isEqualTo(30);
		assertThat(payload.get("token").get("id").asString()).isEqualTo(token.get("id").asString());
		assertThat(delivery.body()).doesNotContain(token.get("token").asString());
		Http.Response audit = asAdmin(Http.get(url("/api/audit?type=notice.sent&user=" + user)));
		assertThat(audit.json().values()).as(audit.body()).hasSize(1);
	}

	@Test
	void noticeWhenRunsWereMissedThenOnlyTheCurrentStageThenExpired() throws Exception {
		String user = newUserWithEmail("late-" + shortId() + "@example.com");
		generateToken(user, Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(40)).toString()));
		this.clock.advance(Duration.ofDays(39).plusHours(12));
		this.notifier.runOnce();
		assertThat(mailbox.about(user)).extracting(MimeMessage::getSubject)
			.singleElement()
			.asString()
			.endsWith("expires in 1 day");
		this.clock.advance(Duration.ofDays(1));
		this.notifier.runOnce();
		assertThat(mailbox.about(user)).extracting(MimeMessage::getSubject)
			.hasSize(2)
			.last()
			.asString()
			.endsWith("has expired");
		this.clock.advance(Duration.ofDays(1));
		this.notifier.runOnce();
		assertThat(mailbox.about(user)).as("nothing after expiry's notice").hasSize(2);
	}

	@Test
	void noticeWhenTwoInstancesRunAtOnceThenEachStageSentOnce() throws Exception {
		String user = newUserWithEmail("twice-" + shortId() + "@example.com");
		generateToken(user, Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(10)).toString()));
		this.clock.advance(Duration.ofDays(3).plusMinutes(1));
		ExpiryNotifier other = new ExpiryNotifier(this.tokens, this.schedule, this.owners, this.channels,
				List.of(Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(1)), Duration.ofHours(1),
				Duration.ofHours(1), this.audit);
		other.setClock(this.clock);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			for (Future<Integer> run : pool
				.invokeAll(List.<Callable<Integer>>of(this.notifier::runOnce, other::runOnce))) {
				run.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(mailbox.about(user)).hasSize(1);
		assertThat(webhook.about(user)).hasSize(1);
	}

	@Test
	void noticeWhenTokenGeneratedInsideAStageThenNotToldAtOnce() throws Exception {
		String user = newUserWithEmail("fresh-" + shortId() + "@example.com");
		generateToken(user, Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(20)).toString()));
		this.notifier.runOnce();
		assertThat(mailbox.about(user)).as("a 20-day token is not told it expires within 30 days").isEmpty();
		this.clock.advance(Duration.ofDays(13).plusMinutes(1));
		this.notifier.runOnce();
		assertThat(mailbox.about(user)).extracting(MimeMessage::getSubject)
			.singleElement()
			.asString()
			.endsWith("expires in 7 days");
	}

	@Test
	void webhookWhenReceiverFailsThenRetriedWithBackoffAndAfterAllAttemptsTriedAgainLater() throws Exception {
		String user = newUser();
		generateToken(user, Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(10)).toString()));
		this.clock.advance(Duration.ofDays(3).plusMinutes(1));
		this.notifier.runOnce();
		webhook.clear();
		String user2 = newUser();
		generateToken(user2, Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(10)).toString()));
		this.clock.advance(Duration.ofDays(3).plusMinutes(1));
		webhook.failNext(2);
		this.notifier.runOnce();
		assertThat(webhook.attempts(user2)).as("delivered on the third attempt").isEqualTo(3);
		assertThat(webhook.about(user2)).hasSize(1);

		String other = newUser();
		generateToken(other, Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(10)).toString()));
		this.clock.advance(Duration.ofDays(3).plusMinutes(1));
		webhook.failNext(1000);
		double failed = notices("failed");
		this.notifier.runOnce();
		assertThat(asAdmin(Http.get(url("/api/audit?type=notice.failed&user=" + other))).json().values()).hasSize(1);
		assertThat(notices("failed")).isGreaterThan(failed);
		webhook.failNext(0);
		this.notifier.runOnce();
		assertThat(webhook.about(other)).as("not before retry-after").isEmpty();
		this.clock.advance(Duration.ofHours(1));
		double sent = notices("sent");
		this.notifier.runOnce();
		assertThat(webhook.about(other)).hasSize(1);
		assertThat(notices("sent")).isGreaterThan(sent);
	}

	@Test
	void unusedTokenWhenRevokeUnusedAfterIsUnsetThenNeverRevokedNorTold() throws Exception {
		String user = newUserWithEmail("unused-" + shortId() + "@example.com");
		String token = generateToken(user,
				Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(365)).toString()))
			.get("token")
			.asString();
		this.clock.advance(Duration.ofDays(300));
		this.notifier.runOnce();
		assertThat(introspect(token).json().get("active").asBoolean()).as("unused for 300 days, still working")
			.isTrue();
		assertThat(asAdmin(Http.get(url("/api/audit?type=token.revoked&user=" + user))).json().values()).isEmpty();
		assertThat(mailbox.about(user)).isEmpty();
	}

	private double notices(String outcome) {
		return this.meters.get("latchkey.notices").tag("outcome", outcome).counter().count();
	}

}
