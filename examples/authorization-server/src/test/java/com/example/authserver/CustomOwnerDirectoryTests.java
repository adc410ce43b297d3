package com.example.authserver;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.authorization.redis.RedisDirectory;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A team that keeps its users elsewhere (here Spring Security's in-memory user store;
 * LDAP or a database alike) declares an {@link OwnerDirectory} over them, the README's
 * example: tokens then carry those users' current authorities, a disabled user's tokens
 * are inactive at once, and Latchkey's own directory and its users API step aside.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		classes = { ExampleAuthorizationServer.class, CustomOwnerDirectoryTests.ExistingUsers.class })
class CustomOwnerDirectoryTests {

	private static final String PREFIX = "custom-" + UUID.randomUUID().toString().substring(0, 8);

	@LocalServerPort
	private int port;

	@Autowired
	private InMemoryUserDetailsManager users;

	@Autowired
	private ApplicationContext context;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> RealRedis.uri().toString());
		registry.add("latchkey.redis.key-prefix", () -> PREFIX);
	}

	@Test
	void tokenOfAUserFromTheApplicationsOwnStoreCarriesItsAuthoritiesAndDiesWhenItIsDisabled() throws Exception {
		HttpResponse<String> created = ExampleHttp.send(HttpRequest.newBuilder(URI.create(url("/api/me/tokens")))
			.header("Authorization", ExampleHttp.basic("bob", "bobs-password"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}")));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String token = JsonMapper.builder().build().readTree(created.body()).get("token").asString();
		assertThat(introspect(token)).contains("\"active\":true")
			.contains("\"scope\":\"orders.read\"")
			.contains("\"sub\":\"bob\"");

		this.users.updateUser(User.withUsername("bob")
			.password("{noop}bobs-password")
			.authorities("orders.read")
			.disabled(true)
			.build());

		assertThat(introspect(token)).isEqualTo("{\"active\":false}");
	}

	@Test
	void latchkeysOwnDirectoryStepsAside() throws Exception {
		assertThat(this.context.getBeansOfType(RedisDirectory.class)).isEmpty();
		HttpResponse<String> usersApi = ExampleHttp.send(HttpRequest.newBuilder(URI.create(url("/api/users")))
			.header("Authorization", ExampleHttp.basic("alice", "alices-password")));
		assertThat(usersApi.statusCode()).isIn(403, 404);
	}

	private String introspect(String token) throws Exception {
		return ExampleHttp
			.send(HttpRequest.newBuilder(URI.create(url("/oauth2/introspect")))
				.header("Authorization", ExampleHttp.basic("orders-service", "orders-service-secret"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("token=" + token)))
			.body();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	/** The application's existing users, and Latchkey's view of them as token owners. */
	@TestConfiguration(proxyBeanMethods = false)
	static class ExistingUsers {

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("bob").password("{noop}bobs-password").authorities("orders.read").build(),
					User.withUsername("alice").password("{noop}alices-password").authorities("orders.write").build());
		}

		@Bean
		OwnerDirectory owners(InMemoryUserDetailsManager users) {
			return (username) -> {
				if (!users.userExists(username)) {
					return Optional.empty();
				}
				UserDetails user = users.loadUserByUsername(username);
				return Optional.of(new OwnerState(user.getUsername(), user.getUsername(), user.isEnabled(),
						user.getAuthorities().stream().map(GrantedAuthority::getAuthority).collect(Collectors.toSet()),
						""));
			};
		}

	}

}
