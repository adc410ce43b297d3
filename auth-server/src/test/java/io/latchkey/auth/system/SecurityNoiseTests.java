package io.latchkey.auth.system;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.auth.Loopback;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule 9, evidence: failed and throttled attempts are summarised, one record per kind,
 * username or client, address and window, with a count, in a capped stream of their own;
 * anonymous guessing never writes to (so never trims) the lifecycle trail of who created
 * and revoked which token. The audit API reads both.
 */
class SecurityNoiseTests extends AuthServerTestBase {

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void anonymousGuessingWhenRepeatedThenOneSummaryPerKindWithCountsAndTheLifecycleTrailUntouched() {
		String user = newUser();
		tokenFor(user);
		Long lifecycleBefore = this.redis.opsForStream().size(KEY_PREFIX + ":audit");
		InetAddress from = Loopback.someAddress();
		for (int i = 0; i < 40; i++) {
			Http.get("http://127.0.0.1:" + this.port + "/api/me").basic(user, "guess-" + i).from(from).send();
		}
		assertThat(this.redis.opsForStream().size(KEY_PREFIX + ":audit")).as("the lifecycle trail")
			.isEqualTo(lifecycleBefore);
		JsonNode records = asAdmin(Http.get(url("/api/audit?user=" + user + "&type=signin.*&limit=100"))).json();
		List<JsonNode> summaries = records.values().stream().toList();
		assertThat(summaries).hasSize(2);
		Map<String, String> counts = Map.of(summaries.get(0).get("type").asString(),
				summaries.get(0).get("count").asString(), summaries.get(1).get("type").asString(),
				summaries.get(1).get("count").asString());
		assertThat(counts).containsEntry("signin.failed", "10").containsEntry("signin.throttled", "30");
		assertThat(summaries).allSatisfy((summary) -> {
			assertThat(summary.get("address").asString()).isEqualTo(from.getHostAddress());
			assertThat(summary.has("window_start")).isTrue();
		});
		assertThat(asAdmin(Http.get(url("/api/audit?user=" + user + "&type=token.*"))).json().size())
			.as("both trails are read")
			.isEqualTo(1);
	}

}
