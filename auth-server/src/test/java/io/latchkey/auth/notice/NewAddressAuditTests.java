package io.latchkey.auth.notice;

import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Eventually;
import io.latchkey.auth.Http;
import io.latchkey.auth.Mailbox;
import io.latchkey.auth.WebhookReceiver;
import io.latchkey.authorization.notice.NewAddressAlerts;
import io.latchkey.authorization.token.LastUseRecorder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token used from a new address without {@code latchkey.notices.new-address} (the
 * default): the audit record is written, and nobody is told although e-mail and a webhook
 * are configured. Notices would be delivered on the recording thread here, so that none
 * can arrive after the assertions.
 */
class NewAddressAuditTests extends AuthServerTestBase {

	@RegisterExtension
	static final Mailbox mailbox = Mailbox.start();

	@RegisterExtension
	static final WebhookReceiver webhook = WebhookReceiver.start();

	@Autowired
	private LastUseRecorder lastUses;

	@Autowired
	private NewAddressAlerts alerts;

	@DynamicPropertySource
	static void notices(DynamicPropertyRegistry registry) {
		registry.add("latchkey.redis.key-prefix", () -> KEY_PREFIX + "-new-address-off");
		mailbox.register(registry);
		webhook.register(registry, "new-address-off-secret");
	}

	@BeforeEach
	void deliverOnTheRecordingThread() {
		this.alerts.setExecutor(Runnable::run);
	}

	@Test
	void useWhenFromANewAddressAndNoticesOffThenAuditedButNobodyTold() throws Exception {
		String user = newUser();
		setEmail(user, user + "@example.com");
		String token = tokenFor(user);
		introspectFrom(token, "198.51.100.7");
		introspectFrom(token, "203.0.113.7");
		List<JsonNode> audited = Eventually.until(() -> newAddresses(user), (records) -> records.size() == 2);
		assertThat(audited).extracting((record) -> record.get("address").asString())
			.containsExactly("203.0.113.7", "198.51.100.7");
		assertThat(mailbox.about(user)).isEmpty();
		assertThat(webhook.received()).noneMatch((delivery) -> delivery.body().contains(user));
	}

	private void introspectFrom(String token, String address) {
		Http.Response answer = Http.post(url("/oauth2/introspect"))
			.basic(CLIENT_ID, CLIENT_SECRET)
			.form(Map.of("token", token, "latchkey_client_ip", address))
			.send();
		assertThat(answer.json().get("active").asBoolean()).isTrue();
		this.lastUses.flush();
	}

	private List<JsonNode> newAddresses(String user) {
		return asAdmin(Http.get(url("/api/audit?type=token.new_address&user=" + user))).json()
			.values()
			.stream()
			.toList();
	}

}
