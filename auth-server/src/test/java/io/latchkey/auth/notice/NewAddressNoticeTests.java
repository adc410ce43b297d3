package io.latchkey.auth.notice;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.auth.Loopback;
import io.latchkey.auth.Mailbox;
import io.latchkey.auth.WebhookReceiver;
import io.latchkey.authorization.token.LastUseRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.latchkey.auth.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token used from a new address, with {@code latchkey.notices.new-address=true}: an
 * audit record and a notice received by a real SMTP server (GreenMail) and a real HTTP
 * receiver, whether the address reached the auth server directly (the management API,
 * through a trusted proxy) or a resource service reported it at introspection; nothing
 * for an address or network among the token's recent ones, and at most one notice a day
 * per token and network. Time moves by the clock.
 */
class NewAddressNoticeTests extends AuthServerTestBase {

	private static final String SECRET = "new-address-webhook-secret";

	private static final InetAddress PROXY = Loopback.address("127.0.0.2");

	@RegisterExtension
	static final Mailbox mailbox = Mailbox.start();

	@RegisterExtension
	static final WebhookReceiver webhook = WebhookReceiver.start();

	@Autowired
	private LastUseRecorder lastUses;

	@DynamicPropertySource
	static void notices(DynamicPropertyRegistry registry) {
		registry.add("latchkey.redis.key-prefix", () -> KEY_PREFIX + "-new-address");
		registry.add("latchkey.http.trusted-proxies", () -> "127.0.0.2/32");
		registry.add("latchkey.notices.new-address", () -> "true");
		mailbox.register(registry);
		registry.add("latchkey.notices.portal-url", () -> "https://latchkey.example.com/account/tokens");
		webhook.register(registry, SECRET);
		registry.add("latchkey.notices.webhook.backoff", () -> "10ms");
	}

	@Test
	void useWhenFromANewAddressThenAuditedAndOwnerToldOnceAndNotForRecentAddressesOrTheirNetwork() throws Exception {
		String user = newUserWithEmail();
		JsonNode generated = generateToken(user, Map.of("description", "Nightly export"));
		String token = generated.get("token").asString();

		assertThat(introspectFrom(token, "198.51.100.7").json().get("active").asBoolean()).isTrue();
		this.lastUses.flush();
		List<JsonNode> audited = until(() -> newAddresses(user), (records) -> records.size() == 1);
		assertThat(audited.get(0).get("address").asString()).isEqualTo("198.51.100.7");
		assertThat(audited.get(0).get("first").asString()).as("the first use is recorded, told to nobody")
			.isEqualTo("true");

		assertThat(meFrom(token, "203.0.113.7").status()).isEqualTo(200);
		this.lastUses.flush();
		audited = until(() -> newAddresses(user), (records) -> records.size() == 2);
		assertThat(audited.get(0).get("address").asString()).isEqualTo("203.0.113.7");
		assertThat(audited.get(0).get("network").asString()).isEqualTo("203.0.113.0/24");
		assertThat(audited.get(0).get("first").asString()).isEqualTo("false");
		assertThat(audited.get(0).get("token_id").asString()).isEqualTo(generated.get("id").asString());
		assertThat(audited.get(0).toString()).doesNotContain(token);

		List<MimeMessage> mails = until(() -> mailbox.about(user), (found) -> found.size() == 1);
		assertThat(mails.get(0).getSubject()).isEqualTo("Access token \"Nightly export\" ("
				+ generated.get("hint").asString() + ") was used from a new address, 203.0.113.7");
		assertThat((String) mails.get(0).getContent()).contains("Address:     203.0.113.7 (network 203.0.113.0/24)")
			.contains("https://latchkey.example.com/account/tokens")
			.doesNotContain(token);
		List<WebhookReceiver.Delivery> deliveries = until(() -> webhook.about(user), (found) -> found.size() == 1);
		WebhookReceiver.Delivery delivery = deliveries.get(0);
		assertThat(delivery.headers().get("X-latchkey-signature")).isEqualTo(delivery.signature(SECRET));
		JsonNode payload = JsonMapper.builder().build().readTree(delivery.body());
		assertThat(payload.get("type").asString()).isEqualTo("token.new_address");
		assertThat(payload.get("address").asString()).isEqualTo("203.0.113.7");
		assertThat(payload.get("network").asString()).isEqualTo("203.0.113.0/24");
		assertThat(payload.get("token").get("id").asString()).isEqualTo(generated.get("id").asString());
		assertThat(delivery.body()).doesNotContain(token);

		this.clock.advance(Duration.ofMinutes(5));
		assertThat(meFrom(token, "203.0.113.7").status()).isEqualTo(200);
		assertThat(introspectFrom(token, "203.0.113.99").json().get("active").asBoolean()).isTrue();
		assertThat(introspectFrom(token, "198.51.100.200").json().get("active").asBoolean()).isTrue();
		this.lastUses.flush();
		this.clock.advance(Duration.ofDays(1).plusMinutes(1));
		assertThat(meFrom(token, "203.0.113.7").status()).as("the next day, a recent address").isEqualTo(200);
		this.lastUses.flush();

		this.clock.advance(Duration.ofMinutes(5));
		assertThat(introspectFrom(token, "2001:db8:1234::1").json().get("active").asBoolean()).isTrue();
		this.lastUses.flush();
		audited = until(() -> newAddresses(user), (records) -> records.size() >= 3);
		assertThat(audited).extracting((record) -> record.get("address").asString())
			.as("nothing between: the same address, its /24, a recent one the next day")
			.containsExactly("2001:db8:1234:0:0:0:0:1", "203.0.113.7", "198.51.100.7");
		assertThat(until(() -> mailbox.about(user), (found) -> found.size() == 2).get(1).getSubject())
			.endsWith("2001:db8:1234:0:0:0:0:1");
		assertThat(until(() -> webhook.about(user), (found) -> found.size() == 2)).hasSize(2);
	}

	@Test
	void noticeWhenANetworkComesBackTheSameDayAfterFallingOutOfTheRecentOnesThenAuditedButToldOnce() throws Exception {
		String user = newUserWithEmail();
		String token = generateToken(user, Map.of()).get("token").asString();
		newsFrom(user, token, "198.51.100.7");
		newsFrom(user, token, "203.0.113.7");
		for (int i = 1; i <= 5; i++) {
			newsFrom(user, token, "192.0." + i + ".1");
		}
		newsFrom(user, token, "203.0.113.8");
		assertThat(newAddresses(user)).as("gone from the recent five: news again").hasSize(8);
		toldAbout(user, token, "192.0.9.1");
		assertThat(mailbox.about(user)).extracting(MimeMessage::getSubject)
			.filteredOn((subject) -> subject.contains("203.0.113."))
			.as("once a day per token and network")
			.hasSize(1);

		this.clock.advance(Duration.ofDays(1));
		for (int i = 1; i <= 5; i++) {
			newsFrom(user, token, "192.0." + (10 + i) + ".1");
		}
		newsFrom(user, token, "203.0.113.9");
		toldAbout(user, token, "192.0.19.1");
		assertThat(mailbox.about(user)).extracting(MimeMessage::getSubject)
			.filteredOn((subject) -> subject.contains("203.0.113."))
			.as("a day later, told again")
			.hasSize(2);
	}

	/**
	 * A use from a new network, waited for until its notice arrived: notices go out one
	 * at a time, in order, so every one decided before it has arrived too.
	 */
	private void toldAbout(String user, String token, String address) throws Exception {
		newsFrom(user, token, address);
		until(() -> mailbox.about(user), (found) -> found.stream().anyMatch((mail) -> subject(mail).endsWith(address)));
	}

	private static String subject(MimeMessage mail) {
		try {
			return mail.getSubject();
		}
		catch (jakarta.mail.MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Uses the token from a new address, and waits until the use is recorded as news:
	 * once its audit record is written, whether to tell the owner was decided.
	 */
	private void newsFrom(String user, String token, String address) throws Exception {
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(introspectFrom(token, address).json().get("active").asBoolean()).isTrue();
		this.lastUses.flush();
		until(() -> newAddresses(user), (records) -> records.get(0).get("address").asString().equals(address));
	}

	private Http.Response introspectFrom(String token, String address) {
		return Http.post(url("/oauth2/introspect"))
			.basic(CLIENT_ID, CLIENT_SECRET)
			.form(Map.of("token", token, "latchkey_client_ip", address))
			.send();
	}

	private Http.Response meFrom(String token, String address) {
		return Http.get("http://127.0.0.1:" + this.port + "/api/me")
			.bearer(token)
			.header("X-Forwarded-For", address)
			.from(PROXY)
			.send();
	}

	/** The user's {@code token.new_address} audit records, newest first. */
	private List<JsonNode> newAddresses(String user) {
		Http.Response audit = asAdmin(Http.get(url("/api/audit?type=token.new_address&user=" + user)));
		assertThat(audit.status()).as(audit.body()).isEqualTo(200);
		return audit.json().values().stream().toList();
	}

	private String newUserWithEmail() {
		String user = newUser();
		setEmail(user, user + "@example.com");
		return user;
	}

}
