package io.latchkey.auth.token;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.authorization.token.LastUseRecorder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a token works (its audience): the resource services named at generation, by
 * client id, and the management API as {@code latchkey-api}. Introspection answers
 * exactly {@code {"active":false}} to a service outside the audience (RFC 7662 section 4)
 * and records nothing; the management API refuses a token not meant for it, except for
 * the token rotating itself; token exchange keeps the JWT within the audience.
 */
@TestPropertySource(properties = { AudienceTests.ORDERS_CLIENT + ".client-id=orders",
		AudienceTests.ORDERS_CLIENT + ".client-secret={noop}orders-secret",
		AudienceTests.ORDERS_CLIENT + ".client-authentication-methods=client_secret_basic",
		AudienceTests.ORDERS_CLIENT + ".authorization-grant-types=client_credentials",
		"latchkey.introspection.allowed-clients=resource-api,orders", "latchkey.resource-services.orders.name=Orders",
		"latchkey.resource-services.orders.resource=https://orders.example" })
public class AudienceTests extends AuthServerTestBase {

	static final String ORDERS_CLIENT = "spring.security.oauth2.authorizationserver.client.orders.registration";

	private static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";

	private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

	@Autowired
	private LastUseRecorder lastUses;

	@Test
	void generateWhenAudienceNamesAnUnknownServiceThen400NamingTheFieldAndNothingStored() {
		String user = newUser();
		Http.Response response = asAdmin(Http.post(url("/api/users/" + user + "/tokens"))
			.json(Map.of("audience", List.of("resource-api", "billing"))));
		TokenApiTests.assertBadField(response, "audience");
		assertThat(listOf(user)).isEmpty();
	}

	@Test
	void generateWhenAudienceIsEmptyThen400NamingTheFieldAndNothingStored() {
		String user = newUser();
		Http.Response response = asAdmin(
				Http.post(url("/api/users/" + user + "/tokens")).json(Map.of("audience", List.of())));
		TokenApiTests.assertBadField(response, "audience");
		assertThat(listOf(user)).isEmpty();
	}

	@Test
	void generateWhenAudienceGivenThenAnsweredAndListedWithIt() {
		String user = newUser();
		JsonNode created = generateToken(user, Map.of("audience", List.of("orders", "latchkey-api")));
		assertThat(created.get("audience").values()).extracting(JsonNode::asString)
			.containsExactlyInAnyOrder("orders", "latchkey-api");
		assertThat(listOf(user).get(0).get("audience").values()).extracting(JsonNode::asString)
			.containsExactlyInAnyOrder("orders", "latchkey-api");
	}

	@Test
	void tokenWithoutAudienceWhenUsedAnywhereThenWorksAndIsListedForAnyService() {
		// no default audience here: such a token is one made before audiences existed
		String user = newUser();
		String token = tokenFor(user);
		assertThat(listOf(user).get(0).get("audience").isNull()).isTrue();
		assertThat(introspect(token).json().get("active").asBoolean()).isTrue();
		assertThat(introspectAs("orders", token).json().get("active").asBoolean()).isTrue();
		assertThat(Http.get(url("/api/me")).bearer(token).send().status()).isEqualTo(200);
	}

	@Test
	void introspectWhenTheClientIsOutsideTheAudienceThenExactlyInactiveAndNothingRecorded() {
		String user = newUser();
		String token = generateToken(user, Map.of("audience", List.of("resource-api"))).get("token").asString();
		Http.Response outside = introspectAs("orders", token);
		assertThat(outside.status()).isEqualTo(200);
		assertThat(outside.body()).isEqualTo("{\"active\":false}");
		this.lastUses.flush();
		assertThat(neverUsed(user)).as("a question from outside the audience leaves no trace").isTrue();
	}

	@Test
	void introspectWhenTheClientIsInTheAudienceThenActiveWithAud() {
		String user = newUser();
		String token = generateToken(user, Map.of("audience", List.of("resource-api", "orders"))).get("token")
			.asString();
		JsonNode answer = introspectAs("orders", token).json();
		assertThat(answer.get("active").asBoolean()).isTrue();
		assertThat(answer.get("aud").values()).extracting(JsonNode::asString)
			.containsExactlyInAnyOrder("orders", "resource-api");
	}

	@Test
	void managementApiWhenTheTokenIsNotMeantForItThen401ButTheTokenMayStillRotateItself() {
		String user = newUser();
		String token = generateToken(user, Map.of("audience", List.of("resource-api"))).get("token").asString();
		assertThat(Http.get(url("/api/me")).bearer(token).send().status()).isEqualTo(401);
		assertThat(Http.get(url("/api/me/tokens")).bearer(token).send().status()).isEqualTo(401);

		Http.Response rotated = Http.post(url("/api/tokens/self/rotate")).bearer(token).send();
		assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
		assertThat(rotated.json().get("audience").values()).extracting(JsonNode::asString)
			.containsExactly("resource-api");
		String successor = rotated.json().get("token").asString();
		assertThat(introspect(successor).json().get("active").asBoolean()).isTrue();
		assertThat(Http.get(url("/api/me")).bearer(successor).send().status()).isEqualTo(401);
	}

	@Test
	void managementApiWhenTheTokenNamesLatchkeyApiThenServed() {
		String user = newUser();
		String token = generateToken(user, Map.of("audience", List.of("latchkey-api"))).get("token").asString();
		assertThat(Http.get(url("/api/me")).bearer(token).send().status()).isEqualTo(200);
		assertThat(introspect(token).body()).isEqualTo("{\"active\":false}");
	}

	@Test
	void exchangeWhenAudienceOrResourceOutsideThePatsAudienceThenInvalidTarget() {
		String user = newUser(newGroup("projects.read"));
		String pat = generateToken(user, Map.of("audience", List.of("resource-api"))).get("token").asString();
		for (Map<String, String> outside : List.of(Map.of("audience", "orders"),
				Map.of("resource", "https://orders.example"), Map.of("audience", "no-such-service"),
				Map.of("resource", "https://unknown.example"))) {
			Http.Response response = exchange(pat, outside);
			assertThat(response.status()).as(outside.toString()).isEqualTo(400);
			assertThat(response.json().get("error").asString()).as(outside.toString()).isEqualTo("invalid_target");
		}
	}

	@Test
	void exchangeWhenTheClientIsOutsideThePatsAudienceThenNotActiveForItAndNothingRecorded() {
		String user = newUser(newGroup("projects.read"));
		String pat = generateToken(user, Map.of("audience", List.of("orders"))).get("token").asString();
		Http.Response response = exchange(pat, Map.of());
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("error").asString()).isEqualTo("invalid_grant");
		this.lastUses.flush();
		assertThat(neverUsed(user)).isTrue();
	}

	@Test
	void exchangeWhenTheManagementApiIsAskedForThenInvalidTargetSinceItTakesOnlyPats() {
		String user = newUser(newGroup("projects.read"));
		String pat = generateToken(user, Map.of("audience", List.of("resource-api", "latchkey-api"))).get("token")
			.asString();
		Http.Response response = exchange(pat, Map.of("audience", "latchkey-api"));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("error").asString()).isEqualTo("invalid_target");
	}

	@Test
	void exchangeWhenResourceNamesOneOfThePatsServicesThenTheJwtIsForThatServiceAlone() {
		String user = newUser(newGroup("projects.read"));
		String pat = generateToken(user, Map.of("audience", List.of("resource-api", "orders"))).get("token").asString();
		Http.Response narrowed = exchange(pat, Map.of("resource", "https://orders.example"));
		assertThat(narrowed.status()).as(narrowed.body()).isEqualTo(200);
		assertThat(decode(narrowed).getAudience()).containsExactly("orders");

		Http.Response whole = exchange(pat, Map.of());
		assertThat(decode(whole).getAudience()).containsExactlyInAnyOrder("resource-api", "orders");
	}

	private Jwt decode(Http.Response exchanged) {
		return NimbusJwtDecoder.withJwkSetUri(url("/oauth2/jwks"))
			.build()
			.decode(exchanged.json().get("access_token").asString());
	}

	private Http.Response exchange(String pat, Map<String, String> extra) {
		Map<String, String> form = new LinkedHashMap<>(
				Map.of("grant_type", GRANT, "subject_token", pat, "subject_token_type", ACCESS_TOKEN));
		form.putAll(extra);
		return Http.post(url("/oauth2/token")).basic(CLIENT_ID, CLIENT_SECRET).form(form).send();
	}

	private Http.Response introspectAs(String clientId, String token) {
		return Http.post(url("/oauth2/introspect"))
			.basic(clientId, clientId.equals(CLIENT_ID) ? CLIENT_SECRET : clientId + "-secret")
			.form(Map.of("token", token))
			.send();
	}

	private boolean neverUsed(String user) {
		JsonNode lastUsedAt = listOf(user).get(0).path("lastUsedAt");
		return lastUsedAt.isMissingNode() || lastUsedAt.isNull();
	}

	private List<JsonNode> listOf(String user) {
		Http.Response response = asAdmin(Http.get(url("/api/users/" + user + "/tokens")));
		assertThat(response.status()).isEqualTo(200);
		return response.json().values().stream().toList();
	}

}
