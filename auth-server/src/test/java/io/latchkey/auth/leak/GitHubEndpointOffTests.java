package io.latchkey.auth.leak;

import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without GitHub's keys configured, its secret-scanning endpoint is not there, signed or
 * not; the public report is.
 */
class GitHubEndpointOffTests extends AuthServerTestBase {

	@Test
	void githubReportWhenNoKeysConfiguredThen404() {
		Http.Response answer = Http.post(url("/api/secret-scanning/github"))
			.header("Github-Public-Key-Identifier", "abc")
			.header("Github-Public-Key-Signature", "MEUCIQ==")
			.json("[]")
			.send();
		assertThat(answer.status()).isEqualTo(404);
		assertThat(
				Http.post(url("/api/credentials/revoke")).json(Map.of("credentials", List.of("lkp_x"))).send().status())
			.isEqualTo(202);
	}

}
