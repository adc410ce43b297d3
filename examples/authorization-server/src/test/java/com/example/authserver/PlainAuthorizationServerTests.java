package com.example.authserver;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.SpringOpaqueTokenIntrospector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A plain Spring Boot authorization server plus only the Latchkey dependency: a personal
 * access token generated through {@code /api/me/tokens} introspects active at its own
 * {@code /oauth2/introspect} (checked with Spring Security's own introspector, as any
 * resource service would), and RFC 7009 revocation at {@code /oauth2/revoke} makes it
 * inactive.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlainAuthorizationServerTests {

	private static final String PREFIX = "example-" + UUID.randomUUID().toString().substring(0, 8);

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> RealRedis.uri().toString());
		registry.add("latchkey.redis.key-prefix", () -> PREFIX);
		registry.add("latchkey.redis.events-channel", () -> PREFIX + ":events");
	}

	@Test
	void patGeneratedThroughTheApiIntrospectsActiveWithSpringsIntrospectorAndRevocationEndsIt() throws Exception {
		String token = generate("{\"description\":\"orders export\",\"scopes\":[\"orders.read\"]}");
		OpaqueTokenIntrospector introspector = SpringOpaqueTokenIntrospector
			.withIntrospectionUri(url("/oauth2/introspect"))
			.clientId("orders-service")
			.clientSecret("orders-service-secret")
			.build();
		OAuth2AuthenticatedPrincipal principal = introspector.introspect(token);
		assertThat(principal.getName()).isEqualTo("admin");
		assertThat(principal.getAuthorities()).extracting("authority").containsExactly("SCOPE_orders.read");

		HttpResponse<String> revoked = ExampleHttp.send(HttpRequest.newBuilder(URI.create(url("/oauth2/revoke")))
			.header("Authorization", ExampleHttp.basic("orders-service", "orders-service-secret"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("token=" + token + "&token_type_hint=access_token")));
		assertThat(revoked.statusCode()).isEqualTo(200);
		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> introspector.introspect(token));
	}

	@Test
	void introspectWhenUnknownPatThenExactlyInactive() throws Exception {
		HttpResponse<String> response = introspect("lkp_" + "a".repeat(36), "orders-service-secret");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"active\":false}");
	}

	@Test
	void introspectWhenWrongClientSecretThen401() throws Exception {
		String token = generate("{}");
		assertThat(introspect(token, "not-the-secret").statusCode()).isEqualTo(401);
	}

	@Test
	void authorizationServerMetadataStaysSpringsOwn() throws Exception {
		HttpResponse<String> metadata = ExampleHttp
			.send(HttpRequest.newBuilder(URI.create(url("/.well-known/oauth-authorization-server"))).GET());
		JsonNode body = json.readTree(metadata.body());
		assertThat(body.get("introspection_endpoint").asString()).endsWith("/oauth2/introspect");
		assertThat(body.get("revocation_endpoint").asString()).endsWith("/oauth2/revoke");
		assertThat(ExampleHttp.send(HttpRequest.newBuilder(URI.create(url("/oauth2/jwks"))).GET()).statusCode())
			.isEqualTo(200);
	}

	private String generate(String body) throws Exception {
		HttpResponse<String> created = ExampleHttp.send(HttpRequest.newBuilder(URI.create(url("/api/me/tokens")))
			.header("Authorization", ExampleHttp.basic("admin", "example-admin-password"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return json.readTree(created.body()).get("token").asString();
	}

	private HttpResponse<String> introspect(String token, String secret) throws Exception {
		return ExampleHttp.send(HttpRequest.newBuilder(URI.create(url("/oauth2/introspect")))
			.header("Authorization", ExampleHttp.basic("orders-service", secret))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("token=" + token)));
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}
