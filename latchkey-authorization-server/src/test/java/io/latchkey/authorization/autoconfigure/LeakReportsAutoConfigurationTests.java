package io.latchkey.authorization.autoconfigure;

import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.latchkey.authorization.leak.CredentialRevocationController;
import io.latchkey.authorization.leak.GitHubKeys;
import io.latchkey.authorization.leak.GitHubSecretScanningController;
import io.latchkey.authorization.leak.LeakReports;
import io.latchkey.authorization.notice.LeakNotifier;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leak reports from the dependency alone: the public report on by default and off on
 * request, GitHub's endpoint only once its keys or their URL are configured, and a key
 * that is not one refused at start-up, by name.
 */
class LeakReportsAutoConfigurationTests {

	private final WebApplicationContextRunner runner = ApplicationRunners.onRealRedis();

	@Test
	void contextWhenNothingConfiguredThenPublicReportsOnAndGitHubOff() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(LeakReports.class)
			.hasSingleBean(LeakNotifier.class)
			.hasSingleBean(CredentialRevocationController.class)
			.doesNotHaveBean(GitHubKeys.class)
			.doesNotHaveBean(GitHubSecretScanningController.class));
	}

	@Test
	void contextWhenPublicReportsDisabledThenNoEndpoint() {
		this.runner.withPropertyValues("latchkey.leak-reports.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CredentialRevocationController.class));
	}

	@Test
	void contextWhenGitHubKeyConfiguredThenEndpointOn() throws Exception {
		this.runner.withPropertyValues("latchkey.secret-scanning.github.keys.abc123=" + pem())
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(GitHubSecretScanningController.class));
	}

	@Test
	void contextWhenGitHubKeysUrlConfiguredThenEndpointOn() {
		this.runner.withPropertyValues("latchkey.secret-scanning.github.keys-url=http://127.0.0.1:1/meta")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(GitHubSecretScanningController.class));
	}

	@Test
	void githubKeysWhenFetchedThenThroughTheApplicationsRestClientBuilder() {
		List<URI> fetched = new CopyOnWriteArrayList<>();
		RestClient.Builder builder = RestClient.builder().requestInterceptor((request, body, execution) -> {
			fetched.add(request.getURI());
			return execution.execute(request, body);
		});
		this.runner.withPropertyValues("latchkey.secret-scanning.github.keys-url=http://127.0.0.1:1/meta")
			.withBean(RestClient.Builder.class, () -> builder)
			.run((context) -> {
				assertThat(context.getBean(GitHubKeys.class).verify("some-key", new byte[0], "AA==")).isFalse();
				assertThat(fetched).as("its customizers and observations apply")
					.containsExactly(URI.create("http://127.0.0.1:1/meta"));
			});
	}

	@Test
	void contextWhenGitHubKeyIsNotAP256PublicKeyThenFailsNamingIt() {
		this.runner.withPropertyValues("latchkey.secret-scanning.github.keys.broken=-----BEGIN PUBLIC KEY-----abc")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("latchkey.secret-scanning.github.keys.broken")
				.hasStackTraceContaining("not a PEM EC public key on P-256"));
	}

	private static String pem() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		return "-----BEGIN PUBLIC KEY-----"
				+ Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
				+ "-----END PUBLIC KEY-----";
	}

}
