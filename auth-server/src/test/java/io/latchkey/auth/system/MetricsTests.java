package io.latchkey.auth.system;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import io.latchkey.authorization.token.VerificationCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Latchkey's meters move when their events happen, and {@code /actuator/prometheus}
 * answers the scrape user alone.
 */
class MetricsTests extends AuthServerTestBase {

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private VerificationCache verificationCache;

	@Test
	void prometheusWhenScrapeUserThenLatchkeysMetersInPrometheusFormat() {
		introspect(tokenFor(newUser()));
		Http.Response scrape = Http.get(url("/actuator/prometheus")).basic("prometheus", SCRAPE_PASSWORD).send();
		assertThat(scrape.status()).isEqualTo(200);
		assertThat(scrape.header("Content-Type")).startsWith("text/plain");
		assertThat(scrape.body()).contains("latchkey_introspections_total{", "latchkey_verification_cache_gets_total{",
				"latchkey_verification_cache_suspended_seconds_total", "latchkey_events_published_total{",
				"latchkey_redis_wait_unconfirmed_total");
	}

	@Test
	void prometheusWhenAnonymousOrWrongPasswordOrATokenThen401() {
		assertThat(Http.get(url("/actuator/prometheus")).send().status()).isEqualTo(401);
		assertThat(Http.get(url("/actuator/prometheus")).basic("prometheus", "wrong").send().status()).isEqualTo(401);
		assertThat(Http.get(url("/actuator/prometheus")).basic(ADMIN, ADMIN_PASSWORD).send().status())
			.as("a portal user is not the scrape user")
			.isEqualTo(401);
		assertThat(Http.get(url("/actuator/prometheus")).bearer(tokenFor(ADMIN)).send().status()).as("nor is any token")
			.isEqualTo(401);
	}

	@Test
	void prometheusWhenAnAddressKeepsGuessingTheScrapePasswordThen429EvenForTheRightOne() throws UnknownHostException {
		InetAddress from = someAddress();
		String prometheus = "http://127.0.0.1:" + this.port + "/actuator/prometheus";
		for (int i = 0; i < 50; i++) {
			assertThat(Http.get(prometheus).basic("prometheus", "guess-" + i).from(from).send().status())
				.as("guess " + (i + 1))
				.isEqualTo(401);
		}
		Http.Response throttled = Http.get(prometheus).basic("prometheus", SCRAPE_PASSWORD).from(from).send();
		assertThat(throttled.status()).isEqualTo(429);
		assertThat(throttled.header("Retry-After")).isNotBlank();
		assertThat(Http.get(prometheus).basic("prometheus", SCRAPE_PASSWORD).from(someAddress()).send().status())
			.as("from elsewhere")
			.isEqualTo(200);
	}

	@Test
	void introspectionWhenActiveInactiveOrRefusedThenCountedByOutcome() {
		String token = tokenFor(newUser());
		double active = count("latchkey.introspections", "outcome", "active");
		double inactive = count("latchkey.introspections", "outcome", "inactive");
		double refused = count("latchkey.introspections", "outcome", "refused");

		assertThat(introspect(token).json().get("active").asBoolean()).isTrue();
		assertThat(introspect(token + "x").body()).isEqualTo("{\"active\":false}");
		Http.Response stranger = Http.post(url("/oauth2/introspect"))
			.basic("stranger", "stranger-secret")
			.form(Map.of("token", token))
			.send();
		assertThat(stranger.status()).isEqualTo(403);

		assertThat(count("latchkey.introspections", "outcome", "active")).isEqualTo(active + 1);
		assertThat(count("latchkey.introspections", "outcome", "inactive")).isEqualTo(inactive + 1);
		assertThat(count("latchkey.introspections", "outcome", "refused")).isEqualTo(refused + 1);
	}

	@Test
	void verificationCacheWhenReadTwiceThenAMissThenAHit() {
		String token = tokenFor(newUser());
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!this.verificationCache.isLive() && System.nanoTime() < deadline) {
			introspect(token);
		}
		assertThat(this.verificationCache.isLive()).isTrue();
		String fresh = tokenFor(newUser());
		double hits = count("latchkey.verification.cache.gets", "result", "hit");
		double misses = count("latchkey.verification.cache.gets", "result", "miss");

		introspect(fresh);
		assertThat(count("latchkey.verification.cache.gets", "result", "miss")).as("read from Redis, then kept")
			.isGreaterThan(misses);
		introspect(fresh);
		assertThat(count("latchkey.verification.cache.gets", "result", "hit")).isGreaterThan(hits);
	}

	@Test
	void revocationWhenPublishedThenCountedByType() {
		String user = newUser();
		JsonNode created = generateToken(user, Map.of());
		double revoked = count("latchkey.events.published", "type", "token.revoked");
		assertThat(Http.delete(url("/api/me/tokens/" + created.get("id").asString()))
			.basic(user, USER_PASSWORD)
			.send()
			.status()).isEqualTo(204);
		assertThat(count("latchkey.events.published", "type", "token.revoked")).isEqualTo(revoked + 1);
	}

	@Test
	void attemptWhenThrottledThenCountedByBucketKind() throws UnknownHostException {
		String user = newUser();
		InetAddress from = someAddress();
		String me = "http://127.0.0.1:" + this.port + "/api/me";
		double userAtAddress = count("latchkey.throttled", "kind", "user-at");
		for (int i = 0; i < 10; i++) {
			Http.get(me).basic(user, "wrong-password-" + i).from(from).send();
		}
		assertThat(Http.get(me).basic(user, "wrong-password-again").from(from).send().status()).isEqualTo(429);
		assertThat(count("latchkey.throttled", "kind", "user-at")).isGreaterThan(userAtAddress);
	}

	@Test
	void exchangeWhenIssuedOrRefusedThenCountedByOutcome() {
		String user = newUser(newGroup("projects.read"));
		JsonNode pat = generateToken(user, Map.of());
		double issued = count("latchkey.exchanges", "outcome", "issued");
		double invalidGrant = count("latchkey.exchanges", "outcome", "invalid_grant");

		assertThat(exchange(pat.get("token").asString()).status()).isEqualTo(200);
		assertThat(Http.delete(url("/api/me/tokens/" + pat.get("id").asString()))
			.basic(user, USER_PASSWORD)
			.send()
			.status()).isEqualTo(204);
		assertThat(exchange(pat.get("token").asString()).status()).isEqualTo(400);

		assertThat(count("latchkey.exchanges", "outcome", "issued")).isEqualTo(issued + 1);
		assertThat(count("latchkey.exchanges", "outcome", "invalid_grant")).isEqualTo(invalidGrant + 1);
	}

	/** An address of its own, so that no other test shares its throttle buckets. */
	private static InetAddress someAddress() throws UnknownHostException {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return InetAddress.getByAddress(new byte[] { 127, (byte) random.nextInt(1, 255), (byte) random.nextInt(0, 256),
				(byte) random.nextInt(1, 255) });
	}

	private Http.Response exchange(String subjectToken) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		form.put("subject_token", subjectToken);
		form.put("subject_token_type", "urn:ietf:params:oauth:token-type:access_token");
		return Http.post(url("/oauth2/token")).basic(CLIENT_ID, CLIENT_SECRET).form(form).send();
	}

	private double count(String name, String tag, String value) {
		Search search = this.meters.find(name).tag(tag, value);
		return (search.counter() != null) ? search.counter().count()
				: (search.functionCounter() != null) ? search.functionCounter().count() : 0;
	}

}
