package io.latchkey.resource.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static io.latchkey.resource.web.LatchkeyResourceServerConfigurer.latchkeyResourceServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.config.Customizer.withDefaults;

/**
 * An application with a security filter chain of its own adds Latchkey with one line,
 * keeps its own rules, and gets the RFC 6750 challenge and fail-closed 503 of the
 * auto-configured chain. The auth server here is unreachable: nothing may be let through.
 */
@SpringBootTest(classes = OwnSecurityFilterChainTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = {
				"spring.security.oauth2.resourceserver.opaquetoken.introspection-uri=http://127.0.0.1:"
						+ OwnSecurityFilterChainTests.NOTHING_LISTENS + "/oauth2/introspect",
				"spring.security.oauth2.resourceserver.opaquetoken.client-id=orders",
				"spring.security.oauth2.resourceserver.opaquetoken.client-secret=orders-secret" })
class OwnSecurityFilterChainTests {

	static final int NOTHING_LISTENS = 9;

	private static final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> RealRedis.uri().toString());
	}

	@Test
	void requestWhenNoTokenThenBearerChallengeWithoutErrorNamingOnlyTheMetadata() throws Exception {
		HttpResponse<String> response = get("/orders", null);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(
				"Bearer resource_metadata=\"http://localhost:" + this.port + "/.well-known/oauth-protected-resource\"");
	}

	@Test
	void requestWhenTheAuthServerIsUnreachableThen503WithRetryAfterNeverAccess() throws Exception {
		HttpResponse<String> response = get("/orders", "lkp_notcachedanywhere");
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).isPresent();
		assertThat(response.body()).doesNotContain("orders of").doesNotContain("Exception");
	}

	@Test
	void requestWhenTheApplicationsOwnRulePermitsItThenServedWithoutToken() throws Exception {
		HttpResponse<String> response = get("/status", null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("up");
	}

	private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		/** The application's own chain: its rules, plus Latchkey's one line. */
		@Bean
		SecurityFilterChain ordersSecurity(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests(
					(authorize) -> authorize.requestMatchers("/status").permitAll().anyRequest().authenticated())
				.with(latchkeyResourceServer(), withDefaults());
			return http.build();
		}

		@Bean
		Orders orders() {
			return new Orders();
		}

	}

	@RestController
	static class Orders {

		@GetMapping("/orders")
		String orders() {
			return "orders of the caller";
		}

		@GetMapping("/status")
		String status() {
			return "up";
		}

	}

}
