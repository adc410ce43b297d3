package io.latchkey.auth.notice;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.internet.MimeMessage;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.notice.ExpiryNoticeSchedule;
import io.latchkey.authorization.notice.ExpiryNotifier;
import io.latchkey.authorization.notice.NoticeChannel;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.token.TokenRepository;
import io.latchkey.testsupport.RealRedis;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

	private static final GreenMail smtp = startSmtp();

	private static final Receiver webhook = new Receiver();

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
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
		registry.add("latchkey.notices.check-every", () -> "1d");
		registry.add("latchkey.notices.retry-after", () -> "1h");
		registry.add("latchkey.notices.portal-url", () -> "https://latchkey.example.com/account/tokens");
		registry.add("latchkey.notices.webhook.url", () -> "http://127.0.0.1:" + webhook.port() + "/hook");
		registry.add("latchkey.notices.webhook.secret", () -> SECRET);
		registry.add("latchkey.notices.webhook.max-attempts", () -> "3");
		registry.add("latchkey.notices.webhook.backoff", () -> "10ms");
	}

	@AfterAll
	static void stopReceivers() {
		smtp.stop();
		webhook.server.stop(0);
	}

	@BeforeEach
	void emptyMailboxes() throws Exception {
		smtp.purgeEmailFromAllMailboxes();
		webhook.received.clear();
		webhook.failuresBeforeSuccess.set(0);
		this.notifier.runOnce();
		smtp.purgeEmailFromAllMailboxes();
		webhook.received.clear();
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
		assertThat(mailsAbout(user)).as("40 days before expiry: nothing yet").isEmpty();
		this.clock.advance(Duration.ofDays(10).plusMinutes(1));
		this.notifier.runOnce();
		this.notifier.runOnce();

		List<MimeMessage> mails = mailsAbout(user);
		assertThat(mails).as("one message, each stage once").hasSize(1);
		assertThat(mails.get(0).getSubject())
			.isEqualTo("Access token \"Nightly export\" (" + token.get("hint").asString() + ") expires in 30 days");
		assertThat(List.of(mails.get(0).getAllRecipients()).toString()).contains(adminEmail).contains("owner-");
		String body = (String) mails.get(0).getContent();
		assertThat(body).contains("Owner:       " + user)
			.contains("https://latchkey.example.com/account/tokens")
			.doesNotContain(token.get("token").asString());

		assertThat(deliveriesFor(user)).hasSize(1);
		Delivery delivery = deliveriesFor(user).get(0);
		assertThat(delivery.headers().get("X-latchkey-signature"))
			.isEqualTo("sha256=" + hmac(delivery.headers().get("X-latchkey-timestamp") + "." + delivery.body()));
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
		assertThat(mailsAbout(user)).extracting(MimeMessage::getSubject)
			.singleElement()
			.asString()
			.endsWith("expires in 1 day");
		this.clock.advance(Duration.ofDays(1));
		this.notifier.runOnce();
		assertThat(mailsAbout(user)).extracting(MimeMessage::getSubject)
			.hasSize(2)
			.last()
			.asString()
			.endsWith("has expired");
		this.clock.advance(Duration.ofDays(1));
		this.notifier.runOnce();
		assertThat(mailsAbout(user)).as("nothing after expiry's notice").hasSize(2);
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
		assertThat(mailsAbout(user)).hasSize(1);
		assertThat(deliveriesFor(user)).hasSize(1);
	}

	@Test
	void noticeWhenTokenGeneratedInsideAStageThenNotToldAtOnce() throws Exception {
		String user = newUserWithEmail("fresh-" + shortId() + "@example.com");
		generateToken(user, Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(20)).toString()));
		this.notifier.runOnce();
		assertThat(mailsAbout(user)).as("a 20-day token is not told it expires within 30 days").isEmpty();
		this.clock.advance(Duration.ofDays(13).plusMinutes(1));
		this.notifier.runOnce();
		assertThat(mailsAbout(user)).extracting(MimeMessage::getSubject)
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
		webhook.received.clear();
		webhook.attempted.clear();
		String user2 = newUser();
		generateToken(user2, Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(10)).toString()));
		this.clock.advance(Duration.ofDays(3).plusMinutes(1));
		webhook.failuresBeforeSuccess.set(2);
		this.notifier.runOnce();
		assertThat(webhook.attempts(user2)).as("delivered on the third attempt").isEqualTo(3);
		assertThat(deliveriesFor(user2)).hasSize(1);

		String other = newUser();
		generateToken(other, Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(10)).toString()));
		this.clock.advance(Duration.ofDays(3).plusMinutes(1));
		webhook.failuresBeforeSuccess.set(1000);
		double failed = notices("failed");
		this.notifier.runOnce();
		assertThat(asAdmin(Http.get(url("/api/audit?type=notice.failed&user=" + other))).json().values()).hasSize(1);
		assertThat(notices("failed")).isGreaterThan(failed);
		webhook.failuresBeforeSuccess.set(0);
		this.notifier.runOnce();
		assertThat(deliveriesFor(other)).as("not before retry-after").isEmpty();
		this.clock.advance(Duration.ofHours(1));
		double sent = notices("sent");
		this.notifier.runOnce();
		assertThat(deliveriesFor(other)).hasSize(1);
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
		assertThat(mailsAbout(user)).isEmpty();
	}

	private double notices(String outcome) {
		return this.meters.get("latchkey.notices").tag("outcome", outcome).counter().count();
	}

	private static List<MimeMessage> mailsAbout(String owner) throws Exception {
		List<MimeMessage> about = new java.util.ArrayList<>();
		java.util.Set<String> seen = new java.util.HashSet<>();
		for (MimeMessage mail : smtp.getReceivedMessages()) {
			if (seen.add(mail.getMessageID())
					&& (String.valueOf(mail.getContent()).contains("Owner:       " + owner + "\r\n")
							|| String.valueOf(mail.getContent()).contains("Owner:       " + owner + "\n"))) {
				about.add(mail);
			}
		}
		return about;
	}

	private static List<Delivery> deliveriesFor(String owner) {
		return webhook.received.stream()
			.filter((delivery) -> delivery.body().contains("\"owner\":\"" + owner + "\""))
			.toList();
	}

	private String newUserWithEmail(String email) {
		String user = newUser();
		assertThat(asAdmin(Http.patch(url("/api/users/" + user)).json(Map.of("email", email))).status()).isEqualTo(200);
		return user;
	}

	private static String shortId() {
		return java.util.UUID.randomUUID().toString().substring(0, 8);
	}

	private static String hmac(String content) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return HexFormat.of().formatHex(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
	}

	private static GreenMail startSmtp() {
		GreenMail mail = new GreenMail(new ServerSetup(RealRedis.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		mail.start();
		return mail;
	}

	/** One request the receiver got: its delivery id, headers and body. */
	record Delivery(String id, Map<String, String> headers, String body) {
	}

	/**
	 * A real HTTP receiver on loopback that fails a given number of times before it
	 * accepts.
	 */
	static final class Receiver {

		final HttpServer server;

		final ConcurrentLinkedQueue<Delivery> received = new ConcurrentLinkedQueue<>();

		final ConcurrentLinkedQueue<String> attempted = new ConcurrentLinkedQueue<>();

		final AtomicInteger failuresBeforeSuccess = new AtomicInteger();

		Receiver() {
			try {
				this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			this.server.createContext("/hook", (exchange) -> {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				this.attempted.add(body);
				int status = (this.failuresBeforeSuccess.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) ? 500 : 204;
				if (status == 204) {
					Map<String, String> headers = new java.util.HashMap<>();
					exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
					this.received.add(new Delivery(headers.get("X-latchkey-delivery"), headers, body));
				}
				exchange.sendResponseHeaders(status, -1);
				exchange.close();
			});
			this.server.start();
		}

		int port() {
			return this.server.getAddress().getPort();
		}

		long attempts(String owner) {
			return this.attempted.stream().filter((body) -> body.contains("\"owner\":\"" + owner + "\"")).count();
		}

	}

}
