package io.latchkey.auth.oauth;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.authorization.token.VerificationCache;
import io.latchkey.core.TokenFormat;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7662 introspection of personal access tokens at Spring Authorization Server's
 * endpoint.
 */
class IntrospectionEndpointTests extends AuthServerTestBase {

	private static final String INACTIVE = "{\"active\":false}";

	@Autowired
	private VerificationCache verificationCache;

	/**
	 * Hot tokens are answered from memory once the events subscription is confirmed, on
	 * every topology: a Sentinel look-up connection that closes after answering is not a
	 * lost connection.
	 */
	@Test
	void verificationCacheWhenSubscribedThenLiveOnTheConfiguredTopology() {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!this.verificationCache.isLive() && System.nanoTime() < deadline) {
			introspect(generateToken(newUser(newGroup("projects.read")), Map.of()).get("token").asString());
		}
		assertThat(this.verificationCache.isLive()).isTrue();
	}

	@Test
	void introspectWhenActiveThenClaimsWithOwnersCurrentRights() {
		String user = newUser(newGroup("projects.read", "projects.write"));
		JsonNode created = generateToken(user, Map.of());
		Http.Response response = introspect(created.get("token").asString());
		assertThat(response.status()).isEqualTo(200);
		JsonNode claims = response.json();
		assertThat(claims.get("active").asBoolean()).isTrue();
		assertThat(claims.get("sub").asString()).isEqualTo(user);
		assertThat(claims.get("username").asString()).isEqualTo(user);
		assertThat(claims.get("scope").asString()).isEqualTo("projects.read projects.write");
		assertThat(claims.get("jti").asString()).isEqualTo(created.get("id").asString());
		assertThat(claims.get("token_type").asString()).isEqualTo("Bearer");
		assertThat(claims.get("iss").asString()).isEqualTo("http://localhost:" + this.port);
		assertThat(Instant.ofEpochSecond(claims.get("exp").asLong())).isEqualTo(
				Instant.parse(created.get("expiresAt").asString()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
		assertThat(claims.get("iat").asLong()).isPositive();
	}

	@Test
	void introspectWhenAdministratorsTokenThenEveryRight() {
		JsonNode claims = introspect(tokenFor(ADMIN)).json();
		assertThat(claims.get("scope").asString().split(" ")).containsExactlyInAnyOrder("audit.read", "projects.read",
				"projects.write", "tokens.manage", "users.manage");
	}

	@Test
	void introspectWhenNarrowedThenIntersectionWithOwnersRights() {
		String user = newUser(newGroup("projects.read"));
		String token = generateToken(user, Map.of("scopes", List.of("projects.read", "projects.write"))).get("token")
			.asString();
		assertThat(introspect(token).json().get("scope").asString()).isEqualTo("projects.read");
	}

	@Test
	void introspectWhenUnknownThenExactlyInactive() {
		assertThat(introspect(new TokenFormat("lkp").generate()).body()).isEqualTo(INACTIVE);
	}

	@Test
	void introspectWhenChecksumBrokenThenExactlyInactive() {
		String token = tokenFor(newUser());
		char last = token.charAt(token.length() - 1);
		String broken = token.substring(0, token.length() - 1) + (last == 'a' ? 'b' : 'a');
		assertThat(introspect(broken).body()).isEqualTo(INACTIVE);
		assertThat(introspect(token).json().get("active").asBoolean()).isTrue();
	}

	@Test
	void introspectWhenNotOurFormatThenExactlyInactive() {
		assertThat(introspect("some-opaque-string").body()).isEqualTo(INACTIVE);
		assertThat(introspect("ghp_" + "a".repeat(36)).body()).isEqualTo(INACTIVE);
	}

	@Test
	void introspectWhenRevokedThenExactlyInactive() {
		String user = newUser();
		JsonNode created = generateToken(user, Map.of());
		asAdmin(Http.delete(url("/api/users/" + user + "/tokens/" + created.get("id").asString())));
		assertThat(introspect(created.get("token").asString()).body()).isEqualTo(INACTIVE);
	}

	@Test
	void introspectWhenExpiredThenExactlyInactive() {
		String user = newUser();
		String token = generateToken(user,
				Map.of("expiresAt", this.clock.instant().plus(Duration.ofHours(1)).toString()))
			.get("token")
			.asString();
		this.clock.advance(Duration.ofMinutes(59));
		assertThat(introspect(token).json().get("active").asBoolean()).isTrue();
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(introspect(token).body()).isEqualTo(INACTIVE);
	}

	@Test
	void introspectWhenOwnerDisabledThenInactiveAndActiveAgainWhenEnabled() {
		String user = newUser();
		String token = tokenFor(user);
		asAdmin(Http.patch(url("/api/users/" + user)).json(Map.of("enabled", false)));
		assertThat(introspect(token).body()).isEqualTo(INACTIVE);
		asAdmin(Http.patch(url("/api/users/" + user)).json(Map.of("enabled", true)));
		assertThat(introspect(token).json().get("active").asBoolean()).isTrue();
	}

	@Test
	void introspectWhenOwnerDeletedAndNameReusedThenStillInactive() {
		String user = newUser();
		String token = tokenFor(user);
		assertThat(asAdmin(Http.delete(url("/api/users/" + user))).status()).isEqualTo(204);
		assertThat(introspect(token).body()).isEqualTo(INACTIVE);
		asAdmin(Http.post(url("/api/users")).json(Map.of("username", user, "password", USER_PASSWORD)));
		assertThat(introspect(token).body()).isEqualTo(INACTIVE);
	}

	@Test
	void introspectWhenRightRemovedFromGroupThenScopeShrinksAtOnce() {
		String group = newGroup("projects.read", "projects.write");
		String token = tokenFor(newUser(group));
		assertThat(introspect(token).json().get("scope").asString()).isEqualTo("projects.read projects.write");
		asAdmin(Http.put(url("/api/groups/" + group)).json(Map.of("name", group, "rights", List.of("projects.read"))));
		assertThat(introspect(token).json().get("scope").asString()).isEqualTo("projects.read");
	}

	@Test
	void introspectWhenRemovedFromGroupThenRightsGone() {
		String group = newGroup("projects.read");
		String user = newUser(group);
		String token = tokenFor(user);
		asAdmin(Http.patch(url("/api/users/" + user)).json(Map.of("groups", List.of())));
		JsonNode claims = introspect(token).json();
		assertThat(claims.get("active").asBoolean()).isTrue();
		assertThat(claims.has("scope")).as("no rights, no scope claim").isFalse();
	}

	@Test
	void introspectWhenWrongClientSecretThen401() {
		Http.Response response = Http.post(url("/oauth2/introspect"))
			.basic(CLIENT_ID, "wrong-secret")
			.form(Map.of("token", tokenFor(ADMIN)))
			.send();
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).doesNotContain("active");
	}

	@Test
	void introspectWhenNoClientAuthenticationThen401() {
		Http.Response response = Http.post(url("/oauth2/introspect")).form(Map.of("token", tokenFor(ADMIN))).send();
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).doesNotContain("active");
	}

	@Test
	void introspectWhenClientNotAllowedToIntrospectThen403() {
		Http.Response response = Http.post(url("/oauth2/introspect"))
			.basic("stranger", "stranger-secret")
			.form(Map.of("token", tokenFor(ADMIN)))
			.send();
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.json().get("error").asString()).isEqualTo("unauthorized_client");
	}

	@Test
	void introspectWhenGetThenNotServed() {
		Http.Response response = Http.get(url("/oauth2/introspect")).basic(CLIENT_ID, CLIENT_SECRET).send();
		assertThat(response.status()).isNotEqualTo(200).isBetween(400, 499);
		assertThat(response.body()).doesNotContain("active");
	}

	@Test
	void introspectWhenTokenMissingThen400() {
		Http.Response response = Http.post(url("/oauth2/introspect"))
			.basic(CLIENT_ID, CLIENT_SECRET)
			.form(Map.of("other", "x"))
			.send();
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("error").asString()).isEqualTo("invalid_request");
	}

	@Test
	void introspectWhenClientSecretPostThenAlsoAccepted() {
		Http.Response response = Http.post(url("/oauth2/introspect"))
			.form(Map.of("token", tokenFor(ADMIN), "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET))
			.send();
		assertThat(response.json().get("active").asBoolean()).isTrue();
	}

	@Test
	void introspectWhenRegularOAuthAccessTokenThenStillServedBySpring() {
		Http.Response issued = Http.post(url("/oauth2/token"))
			.basic("machine", "machine-secret")
			.form(Map.of("grant_type", "client_credentials"))
			.send();
		assertThat(issued.status()).as(issued.body()).isEqualTo(200);
		JsonNode claims = introspect(issued.json().get("access_token").asString()).json();
		assertThat(claims.get("active").asBoolean()).isTrue();
		assertThat(claims.get("client_id").asString()).isEqualTo("machine");
	}

	@Test
	void tokenWhenResourceApiAsksForClientCredentialsThenRefusedSinceItOnlyIntrospects() {
		Http.Response issued = Http.post(url("/oauth2/token"))
			.basic(CLIENT_ID, CLIENT_SECRET)
			.form(Map.of("grant_type", "client_credentials"))
			.send();
		assertThat(issued.status()).isEqualTo(400);
		assertThat(issued.json().get("error").asString()).isEqualTo("unauthorized_client");
	}

	@Test
	void metadataWhenDiscoveredThenListsIntrospectionAndRevocation() {
		JsonNode metadata = Http.get(url("/.well-known/oauth-authorization-server")).send().json();
		assertThat(metadata.get("introspection_endpoint").asString()).endsWith("/oauth2/introspect");
		assertThat(metadata.get("revocation_endpoint").asString()).endsWith("/oauth2/revoke");
	}

	@Test
	void revokeWhenPatThen200AndInactive() {
		String token = tokenFor(newUser());
		Http.Response response = Http.post(url("/oauth2/revoke"))
			.basic(CLIENT_ID, CLIENT_SECRET)
			.form(Map.of("token", token, "token_type_hint", "access_token"))
			.send();
		assertThat(response.status()).isEqualTo(200);
		assertThat(introspect(token).body()).isEqualTo(INACTIVE);
	}

	@Test
	void revokeWhenUnknownOrMalformedThenStill200() {
		for (String token : List.of(new TokenFormat("lkp").generate(), "lkp_broken", "whatever")) {
			Http.Response response = Http.post(url("/oauth2/revoke"))
				.basic(CLIENT_ID, CLIENT_SECRET)
				.form(Map.of("token", token))
				.send();
			assertThat(response.status()).as(token).isEqualTo(200);
		}
	}

	@Test
	void revokeWhenNoClientAuthenticationThen401AndTokenStillActive() {
		String token = tokenFor(newUser());
		assertThat(Http.post(url("/oauth2/revoke")).form(Map.of("token", token)).send().status()).isEqualTo(401);
		assertThat(
				Http.post(url("/oauth2/revoke")).basic(CLIENT_ID, "wrong").form(Map.of("token", token)).send().status())
			.isEqualTo(401);
		assertThat(introspect(token).json().get("active").asBoolean()).isTrue();
	}

	@Test
	void revokeWhenClientNotAllowedThen403AndTokenStillActive() {
		String token = tokenFor(newUser());
		Http.Response response = Http.post(url("/oauth2/revoke"))
			.basic("stranger", "stranger-secret")
			.form(Map.of("token", token))
			.send();
		assertThat(response.status()).isEqualTo(403);
		assertThat(introspect(token).json().get("active").asBoolean()).isTrue();
	}

}
