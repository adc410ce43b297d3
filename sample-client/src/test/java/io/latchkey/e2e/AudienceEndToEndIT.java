package io.latchkey.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.latchkey.testsupport.AppProcess;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static io.latchkey.e2e.Api.basic;
import static io.latchkey.e2e.Api.bearer;
import static io.latchkey.e2e.Api.send;
import static io.latchkey.e2e.Api.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a token may be used, end to end over real HTTP with two resource services: the
 * resource API and the plain example resource service ({@code examples/resource-server},
 * client id {@code orders-service}), both introspecting at the reference auth server. A
 * token meant for one is refused at the other, also once the first has cached the answer
 * (a compromised service cannot replay the tokens it sees elsewhere); a token meant for
 * both works at both; a token generated without an audience gets the reference default,
 * the resource API alone, and is refused at the management API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AudienceEndToEndIT {

	private static final String ORDERS_SERVICE = "orders-service";

	private static final String RESOURCE_API = "resource-api";

	private static final String MANAGEMENT_API = "latchkey-api";

	private static final String USER_PASSWORD = "audience-password";

	/** Generated for this run, handed to the auth server and the orders service. */
	private final String ordersSecret = UUID.randomUUID().toString();

	private Stack stack;

	private AppProcess orders;

	private String admin;

	@BeforeAll
	void start() {
		this.stack = Stack.start("audience", RealRedis.uri(), ordersServiceRegistered());
		this.orders = ordersService().start();
		this.admin = basic("admin", Stack.ADMIN_PASSWORD);
	}

	/**
	 * The auth server's arguments that make the orders service a resource service: a
	 * registered client allowed to introspect (beside the resource API), and the right
	 * its controller asks for.
	 */
	private List<String> ordersServiceRegistered() {
		String client = "--spring.security.oauth2.authorizationserver.client." + ORDERS_SERVICE + ".registration.";
		return List.of(client + "client-id=" + ORDERS_SERVICE, client + "client-secret={noop}" + this.ordersSecret,
				client + "client-authentication-methods=client_secret_basic",
				client + "authorization-grant-types=client_credentials",
				"--latchkey.introspection.allowed-clients=" + RESOURCE_API + "," + ORDERS_SERVICE,
				"--latchkey.resource-services." + ORDERS_SERVICE + ".name=Orders",
				// a list given here replaces application.yml's: its rights, and the
				// orders'
				"--latchkey.rights[0].name=projects.read", "--latchkey.rights[1].name=projects.write",
				"--latchkey.rights[2].name=users.manage", "--latchkey.rights[3].name=tokens.manage",
				"--latchkey.rights[4].name=orders.read");
	}

	/**
	 * The example resource service as its README runs it: {@code AUTH_SERVER},
	 * {@code ORDERS_SERVICE_SECRET} and {@code REDIS_URL}, under a key prefix and on the
	 * events channel of this stack.
	 */
	private AppProcess ordersService() {
		List<String> arguments = new ArrayList<>(List.of("--AUTH_SERVER=" + this.stack.authServer.url(""),
				"--ORDERS_SERVICE_SECRET=" + this.ordersSecret, "--REDIS_URL=" + RealRedis.uri(),
				"--latchkey.resource.key-prefix=" + this.stack.prefix + "-orders",
				"--latchkey.resource.events-channel=" + this.stack.prefix + ":events",
				"--latchkey.resource.introspection.read-timeout=2s"));
		return new AppProcess(ORDERS_SERVICE, Stack.exampleJar("resource-server"), RealRedis.freePort(),
				Path.of("target", "e2e", "audience-orders-service.log"), arguments)
			.readyWhen("/.well-known/oauth-protected-resource");
	}

	@AfterAll
	void stop() {
		try {
			this.stack.assertNoTokensInLogs();
			if (this.orders != null) {
				Stack.assertNoTokensInLog(this.orders);
			}
		}
		finally {
			if (this.orders != null) {
				this.orders.close();
			}
			this.stack.close();
		}
	}

	@Test
	void tokenForTheResourceApiWhenPresentedAtTheOrdersServiceThen401AlsoAfterTheResourceApiCachedIt() {
		String token = generate(newUser(), List.of(RESOURCE_API));
		double hitsBefore = resourceApiCacheHits();
		assertThat(resourceApi(token).status()).isEqualTo(200);
		assertThat(resourceApi(token).status()).isEqualTo(200);
		assertThat(resourceApiCacheHits()).as("the resource API answered from its cache").isGreaterThan(hitsBefore);

		Api.Response refused = orders(token);
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
		assertThat(refused.raw().body()).doesNotContain("customer");
		assertThat(introspect(ORDERS_SERVICE, this.ordersSecret, token).raw().body())
			.as("the auth server tells a service nothing of a token not meant for it")
			.isEqualTo("{\"active\":false}");
		JsonNode meantForIt = introspect(RESOURCE_API, Stack.CLIENT_SECRET, token).json();
		assertThat(meantForIt.get("active").asBoolean()).isTrue();
		assertThat(values(meantForIt.get("aud"))).containsExactly(RESOURCE_API);
		assertThat(resourceApi(token).status()).isEqualTo(200);
	}

	@Test
	void tokenForTheOrdersServiceWhenPresentedAtTheResourceApiThen401AlsoAfterTheOrdersServiceCachedIt() {
		String token = generate(newUser(), List.of(ORDERS_SERVICE));
		Api.Response served = orders(token);
		assertThat(served.status()).isEqualTo(200);
		assertThat(served.raw().body()).contains("\"customer\"");
		assertThat(orders(token).status()).isEqualTo(200);

		Api.Response refused = resourceApi(token);
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
		assertThat(introspect(RESOURCE_API, Stack.CLIENT_SECRET, token).raw().body()).isEqualTo("{\"active\":false}");
		assertThat(orders(token).status()).isEqualTo(200);
	}

	@Test
	void tokenForBothServicesWhenPresentedAtEitherThen200() {
		String token = generate(newUser(), List.of(RESOURCE_API, ORDERS_SERVICE));
		assertThat(resourceApi(token).status()).isEqualTo(200);
		assertThat(orders(token).status()).isEqualTo(200);
		assertThat(resourceApi(token).status()).isEqualTo(200);
		assertThat(orders(token).status()).isEqualTo(200);
		JsonNode answer = introspect(ORDERS_SERVICE, this.ordersSecret, token).json();
		assertThat(answer.get("active").asBoolean()).isTrue();
		assertThat(values(answer.get("aud"))).containsExactlyInAnyOrder(RESOURCE_API, ORDERS_SERVICE);
		assertThat(send("GET", this.stack.authServer.url("/api/me"), bearer(token), null).status())
			.as("the management API is not among its services")
			.isEqualTo(401);
	}

	@Test
	void tokenWhenGeneratedWithoutAudienceThenTheResourceApiOnlyAndRefusedAtTheManagementApi() {
		String user = newUser();
		Api.Response created = send("POST", this.stack.authServer.url("/api/me/tokens"), basic(user, USER_PASSWORD),
				Map.of("description", "no audience asked for"));
		assertThat(created.status()).isEqualTo(201);
		assertThat(values(created.json().get("audience"))).containsExactly(RESOURCE_API);
		String token = created.json().get("token").asString();

		assertThat(resourceApi(token).status()).isEqualTo(200);
		assertThat(orders(token).status()).isEqualTo(401);
		Api.Response me = send("GET", this.stack.authServer.url("/api/me"), bearer(token), null);
		assertThat(me.status()).isEqualTo(401);
		assertThat(me.raw().body()).doesNotContain(user);

		Api.Response listed = send("GET", this.stack.authServer.url("/api/me/tokens"), basic(user, USER_PASSWORD),
				null);
		assertThat(listed.status()).isEqualTo(200);
		assertThat(values(listed.json().get(0).get("audience"))).containsExactly(RESOURCE_API);
	}

	@Test
	void tokenForTheManagementApiWhenPresentedThereThen200AndAtNeitherResourceService() {
		String user = newUser();
		String token = generate(user, List.of(MANAGEMENT_API));
		Api.Response me = send("GET", this.stack.authServer.url("/api/me"), bearer(token), null);
		assertThat(me.status()).isEqualTo(200);
		assertThat(me.raw().body()).contains(user);
		assertThat(resourceApi(token).status()).isEqualTo(401);
		assertThat(orders(token).status()).isEqualTo(401);
	}

	@Test
	void ordersServiceWhenAskedForItsMetadataThenNamesTheAuthServerAndItsChallengesPointThere() {
		Api.Response metadata = send("GET", this.orders.url("/.well-known/oauth-protected-resource"), null, null);
		assertThat(metadata.status()).isEqualTo(200);
		assertThat(values(metadata.json().get("authorization_servers"))).containsExactly(this.stack.authServer.url(""));
		assertThat(values(metadata.json().get("dpop_signing_alg_values_supported"))).contains("ES256");

		Api.Response anonymous = send("GET", this.orders.url("/orders"), null, null);
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.header("WWW-Authenticate"))
			.contains("resource_metadata=\"" + this.orders.url("/.well-known/oauth-protected-resource") + "\"");
	}

	private String newUser() {
		String group = "audience-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(send("POST", this.stack.authServer.url("/api/groups"), this.admin,
				Map.of("name", group, "rights", List.of("projects.read", "orders.read")))
			.status()).isEqualTo(201);
		String name = "audience-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(send("POST", this.stack.authServer.url("/api/users"), this.admin,
				Map.of("username", name, "password", USER_PASSWORD, "groups", List.of(group)))
			.status()).isEqualTo(201);
		return name;
	}

	/** A token for {@code user}, meant for {@code audience}; its answer says so. */
	private String generate(String user, List<String> audience) {
		Api.Response created = send("POST", this.stack.authServer.url("/api/users/" + user + "/tokens"), this.admin,
				Map.of("description", "e2e audience", "audience", audience));
		assertThat(created.status()).isEqualTo(201);
		assertThat(values(created.json().get("audience"))).containsExactlyInAnyOrderElementsOf(audience);
		return created.json().get("token").asString();
	}

	private Api.Response resourceApi(String token) {
		return send("GET", this.stack.resourceApi.url("/api/projects"), bearer(token), null);
	}

	private Api.Response orders(String token) {
		return send("GET", this.orders.url("/orders"), bearer(token), null);
	}

	private Api.Response introspect(String clientId, String secret, String token) {
		return send("POST", this.stack.authServer.url("/oauth2/introspect"), basic(clientId, secret),
				Map.of("token", token));
	}

	private double resourceApiCacheHits() {
		Api.Response metric = send("GET", this.stack.resourceApi
			.managementUrl("/actuator/metrics/cache.gets?tag=cache:introspection&tag=result:hit"), null, null);
		return metric.json().get("measurements").get(0).get("value").asDouble();
	}

}
