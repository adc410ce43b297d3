package io.latchkey.authorization.signals;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.redis.RedisKeys;
import io.latchkey.authorization.redis.RedisSignalStreams;
import io.latchkey.core.event.EventType;
import io.latchkey.core.event.LatchkeyEvent;
import io.latchkey.core.event.SecurityEventCodec;
import io.latchkey.testsupport.MutableClock;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every Latchkey event becomes Security Event Tokens kept per stream in a real Redis:
 * signed with the server's keys (verified with Nimbus against the public JWK set), for
 * the receivers that may hear them, polled with acknowledgements, kept while paused,
 * across a restart, and within the cap, which announces its overflow, again if the notice
 * was dropped or acknowledged before the next.
 */
class SignalTransmitterTests {

	private static final String ISSUER = "https://auth.example.com";

	private static final String DIGEST = "3f".repeat(32);

	private static LettuceConnectionFactory connections;

	private static RSAKey key;

	private final JsonMapper json = JsonMapper.builder().build();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));

	private final String prefix = "lktest-ssf-" + UUID.randomUUID().toString().substring(0, 8);

	private SignalStreams streams;

	private SignalTransmitter transmitter;

	private SignalPolls polls;

	@BeforeAll
	static void start() throws Exception {
		connections = RealRedis.connectionFactory();
		key = new RSAKeyGenerator(2048).keyID("k1").generate();
	}

	@AfterAll
	static void stop() {
		connections.destroy();
	}

	@BeforeEach
	void streams() {
		this.streams = new RedisSignalStreams(new StringRedisTemplate(connections), new RedisKeys(this.prefix));
		this.transmitter = transmitter(this.streams, 10);
		this.polls = new SignalPolls(this.streams, lost(this.streams), Duration.ZERO);
	}

	@Test
	void publishWhenTokenRevokedThenCredentialChangeSignedForTheReceiverNamingTheDigest() throws Exception {
		stream("resource-api", SecurityEventCodec.SUPPORTED);
		this.transmitter.publish(LatchkeyEvent.tokenRevoked("alice", "t1", DIGEST, Set.of("resource-api"),
				Instant.parse("2026-12-07T09:59:00Z")));

		List<SignedJWT> sets = poll("resource-api", List.of());
		assertThat(sets).hasSize(1);
		SignedJWT set = sets.get(0);
		assertThat(set.verify(new RSASSAVerifier(publicKeys().getKeyByKeyId("k1").toRSAKey()))).isTrue();
		assertThat(set.getHeader().getType()).isEqualTo(new JOSEObjectType("secevent+jwt"));
		JWTClaimsSet claims = set.getJWTClaimsSet();
		assertThat(claims.getIssuer()).isEqualTo(ISSUER);
		assertThat(claims.getAudience()).containsExactly("resource-api");
		assertThat(claims.getJWTID()).isNotBlank();
		assertThat(claims.getStringClaim("txn")).isNotBlank();
		assertThat(claims.getJSONObjectClaim("sub_id")).isEqualTo(Map.of("format", "opaque", "id", DIGEST));
		Map<String, Object> event = event(claims, SecurityEventCodec.CREDENTIAL_CHANGE);
		assertThat(event).containsEntry("change_type", "revoke")
			.containsEntry("credential_type", "personal-access-token")
			.containsEntry("event_timestamp", Instant.parse("2026-12-07T09:59:00Z").getEpochSecond());
		assertThat(claims.getClaims()).containsOnlyKeys("iss", "jti", "iat", "aud", "sub_id", "events", "txn");
	}

	@Test
	void publishWhenTheTokenIsMeantForAnotherServiceThenItsReceiverHearsNothing() throws Exception {
		stream("resource-api", SecurityEventCodec.SUPPORTED);
		stream("billing", SecurityEventCodec.SUPPORTED);
		this.transmitter
			.publish(LatchkeyEvent.tokenRevoked("alice", "t1", DIGEST, Set.of("resource-api"), this.clock.instant()));
		this.transmitter
			.publish(LatchkeyEvent.tokenRotated("alice", "t2", "aa".repeat(32), null, this.clock.instant()));

		assertThat(poll("billing", List.of())).singleElement()
			.satisfies((set) -> assertThat(set.getJWTClaimsSet().getJSONObjectClaim("sub_id")).containsEntry("id",
					"aa".repeat(32)));
		assertThat(poll("resource-api", List.of())).hasSize(2);
	}

	@Test
	void publishWhenUsersChangeThenSessionRevokedAndTokenClaimsChangePerUserOfOneChange() throws Exception {
		stream("resource-api", SecurityEventCodec.SUPPORTED);
		this.transmitter.publish(LatchkeyEvent.user(EventType.USER_DISABLED, "Alice", this.clock.instant()));
		this.transmitter.publish(
				LatchkeyEvent.group(EventType.GROUP_CHANGED, "ops", List.of("bob", "carol"), this.clock.instant()));

		List<SignedJWT> sets = poll("resource-api", List.of());
		assertThat(sets).hasSize(3);
		JWTClaimsSet disabled = sets.get(0).getJWTClaimsSet();
		assertThat(disabled.getJSONObjectClaim("sub_id"))
			.isEqualTo(Map.of("format", "iss_sub", "iss", ISSUER, "sub", "alice"));
		assertThat(disabled.getJSONObjectClaim("events")).containsOnlyKeys(SecurityEventCodec.SESSION_REVOKED);
		JWTClaimsSet bob = sets.get(1).getJWTClaimsSet();
		JWTClaimsSet carol = sets.get(2).getJWTClaimsSet();
		assertThat(bob.getJSONObjectClaim("events")).containsOnlyKeys(SecurityEventCodec.TOKEN_CLAIMS_CHANGE);
		assertThat(bob.getJSONObjectClaim("sub_id")).containsEntry("sub", "bob");
		assertThat(carol.getJSONObjectClaim("sub_id")).containsEntry("sub", "carol");
		assertThat(bob.getStringClaim("txn")).isEqualTo(carol.getStringClaim("txn"))
			.isNotEqualTo(disabled.getStringClaim("txn"));
	}

	@Test
	void publishWhenTheStreamDidNotAskForTheTypeThenNothingIsKept() throws Exception {
		stream("resource-api", List.of(SecurityEventCodec.CREDENTIAL_CHANGE));
		this.transmitter.publish(LatchkeyEvent.user(EventType.USER_DELETED, "alice", this.clock.instant()));
		assertThat(poll("resource-api", List.of())).isEmpty();
	}

	@Test
	void pollWhenAcknowledgedThenGoneAndWhatWasNotComesAgainAfterARestart() throws Exception {
		stream("resource-api", SecurityEventCodec.SUPPORTED);
		for (int i = 0; i < 3; i++) {
			this.transmitter.publish(LatchkeyEvent.tokenRevoked("alice", "t" + i, Integer.toString(i).repeat(64), null,
					this.clock.instant()));
		}
		Map<String, Object> first = this.polls.poll("resource-api",
				this.json.readTree("{\"maxEvents\":2,\"returnImmediately\":true}"));
		assertThat(first).containsEntry("moreAvailable", true);
		List<String> firstJtis = new ArrayList<>(sets(first).keySet());
		assertThat(firstJtis).hasSize(2);

		// another instance, started afresh, on the same Redis
		SignalStreams again = new RedisSignalStreams(new StringRedisTemplate(connections), new RedisKeys(this.prefix));
		SignalPolls restarted = new SignalPolls(again, lost(again), Duration.ZERO);
		Map<String, Object> second = restarted.poll("resource-api",
				this.json.readTree("{\"ack\":[\"" + firstJtis.get(0) + "\"],\"setErrs\":{\"" + firstJtis.get(1)
						+ "\":{\"err\":\"invalid_key\",\"description\":\"?\"}},\"returnImmediately\":true}"));
		assertThat(second).containsEntry("moreAvailable", false);
		assertThat(sets(second)).hasSize(1).doesNotContainKeys(firstJtis.get(0), firstJtis.get(1));

		String last = sets(second).keySet().iterator().next();
		Map<String, Object> unacknowledged = restarted.poll("resource-api",
				this.json.readTree("{\"returnImmediately\":true}"));
		assertThat(sets(unacknowledged)).containsOnlyKeys(last);
		Map<String, Object> done = restarted.poll("resource-api",
				this.json.readTree("{\"ack\":[\"" + last + "\"],\"maxEvents\":0}"));
		assertThat(sets(done)).isEmpty();
		assertThat(this.streams.pending("resource-api", 10)).isEmpty();
	}

	@Test
	void pollWhenPausedThenNothingIsDeliveredAndEverythingIsKeptForLater() throws Exception {
		SignalStream stream = stream("resource-api", SecurityEventCodec.SUPPORTED);
		this.streams.replace(stream.withStatus(StreamStatus.PAUSED, "maintenance"));
		this.transmitter.publish(LatchkeyEvent.tokenRevoked("alice", "t1", DIGEST, null, this.clock.instant()));
		assertThat(poll("resource-api", List.of())).isEmpty();

		this.streams.replace(stream.withStatus(StreamStatus.ENABLED, null));
		assertThat(poll("resource-api", List.of())).hasSize(1);
	}

	@Test
	void publishWhenTheStreamIsDisabledThenNothingIsKept() throws Exception {
		SignalStream stream = stream("resource-api", SecurityEventCodec.SUPPORTED);
		this.streams.replace(stream.withStatus(StreamStatus.DISABLED, null));
		this.transmitter.publish(LatchkeyEvent.tokenRevoked("alice", "t1", DIGEST, null, this.clock.instant()));
		assertThat(this.streams.pending("resource-api", 10)).isEmpty();
	}

	@Test
	void publishWhenTheCapOverflowsThenTheOldestAreDroppedAndTheReceiverIsToldFirst() throws Exception {
		SignalTransmitter small = transmitter(this.streams, 3);
		stream("resource-api", SecurityEventCodec.SUPPORTED);
		for (int i = 0; i < 6; i++) {
			small.publish(LatchkeyEvent.tokenRevoked("alice", "t" + i, Integer.toString(i).repeat(64), null,
					this.clock.instant()));
		}
		List<SignedJWT> sets = poll("resource-api", List.of());
		assertThat(sets).hasSize(4);
		assertThat(sets.get(0).getJWTClaimsSet().getJSONObjectClaim("events"))
			.containsOnlyKeys(SecurityEventCodec.STREAM_UPDATED);
		assertThat(sets.get(3).getJWTClaimsSet().getJSONObjectClaim("sub_id")).containsEntry("id", "5".repeat(64));
	}

	@Test
	void pollWhenManyMoreEventsThanTheCapFollowAnOverflowThenTheNoticeIsStillGivenUntilAcknowledged() throws Exception {
		SignalTransmitter small = transmitter(this.streams, 3);
		stream("resource-api", SecurityEventCodec.SUPPORTED);
		for (int i = 0; i < 8; i++) {
			small.publish(LatchkeyEvent.tokenRevoked("alice", "t" + i, Integer.toString(i).repeat(64), null,
					this.clock.instant()));
		}
		Map<String, Object> first = this.polls.poll("resource-api", this.json.readTree("{\"returnImmediately\":true}"));
		String notice = sets(first).keySet().iterator().next();
		assertThat(notice).startsWith(SignalStreams.LOST_NOTICE_PREFIX);
		assertThat(SignedJWT.parse(sets(first).get(notice)).getJWTClaimsSet().getJSONObjectClaim("events"))
			.containsOnlyKeys(SecurityEventCodec.STREAM_UPDATED);
		List<String> events = sets(first).keySet().stream().skip(1).toList();
		assertThat(events).hasSize(3);

		Map<String, Object> second = this.polls.poll("resource-api",
				this.json.readTree(this.json.writeValueAsString(Map.of("ack", events, "returnImmediately", true))));
		assertThat(sets(second)).as("given again until acknowledged").containsOnlyKeys(notice);

		Map<String, Object> third = this.polls.poll("resource-api", this.json
			.readTree(this.json.writeValueAsString(Map.of("ack", List.of(notice), "returnImmediately", true))));
		assertThat(sets(third)).isEmpty();
	}

	@Test
	void publishWhenTheNoticeOfAnOverflowIsDroppedInItsTurnThenTheReceiverIsToldAgain() throws Exception {
		SignalTransmitter small = transmitter(this.streams, 3);
		stream("resource-api", SecurityEventCodec.SUPPORTED);
		for (int i = 0; i < 7; i++) {
			small.publish(LatchkeyEvent.tokenRevoked("alice", "t" + i, Integer.toString(i).repeat(64), null,
					this.clock.instant()));
		}
		assertThat(types(poll("resource-api", List.of()))).containsOnlyOnce(SecurityEventCodec.STREAM_UPDATED);
	}

	@Test
	void publishWhenEventsAreLostAfterTheNoticeWasGivenThenAcknowledgingThatNoticeLeavesANewOne() throws Exception {
		SignalTransmitter small = transmitter(this.streams, 3);
		stream("resource-api", SecurityEventCodec.SUPPORTED);
		for (int i = 0; i < 4; i++) {
			small.publish(LatchkeyEvent.tokenRevoked("alice", "t" + i, Integer.toString(i).repeat(64), null,
					this.clock.instant()));
		}
		List<String> given = new ArrayList<>();
		for (SignedJWT set : poll("resource-api", List.of())) {
			given.add(set.getJWTClaimsSet().getJWTID());
		}
		assertThat(given).hasSize(4);
		// the receiver empties its cache; meanwhile more events come, and the cap drops
		// one
		for (int i = 4; i < 8; i++) {
			small.publish(LatchkeyEvent.tokenRevoked("alice", "t" + i, Integer.toString(i).repeat(64), null,
					this.clock.instant()));
		}
		assertThat(types(poll("resource-api", given))).as("a loss after the notice given is told anew")
			.containsOnlyOnce(SecurityEventCodec.STREAM_UPDATED);
	}

	@Test
	void publishWhenTheReceiverAcknowledgedTheNoticeThenTheNextOverflowTellsItAgain() throws Exception {
		SignalTransmitter small = transmitter(this.streams, 3);
		stream("resource-api", SecurityEventCodec.SUPPORTED);
		for (int i = 0; i < 4; i++) {
			small.publish(LatchkeyEvent.tokenRevoked("alice", "t" + i, Integer.toString(i).repeat(64), null,
					this.clock.instant()));
		}
		List<String> notices = new ArrayList<>();
		for (SignedJWT set : poll("resource-api", List.of())) {
			if (set.getJWTClaimsSet().getJSONObjectClaim("events").containsKey(SecurityEventCodec.STREAM_UPDATED)) {
				notices.add(set.getJWTClaimsSet().getJWTID());
			}
		}
		assertThat(notices).hasSize(1);
		assertThat(poll("resource-api", notices)).as("the 3 events kept; the notice is gone")
			.hasSize(3)
			.noneSatisfy((set) -> assertThat(set.getJWTClaimsSet().getJSONObjectClaim("events"))
				.containsKey(SecurityEventCodec.STREAM_UPDATED));

		for (int i = 4; i < 6; i++) {
			small.publish(LatchkeyEvent.tokenRevoked("alice", "t" + i, Integer.toString(i).repeat(64), null,
					this.clock.instant()));
		}
		assertThat(types(poll("resource-api", List.of()))).containsOnlyOnce(SecurityEventCodec.STREAM_UPDATED);
	}

	@Test
	void publishWhenOneStreamCannotKeepTheEventThenTheOthersStillDoAndThatReceiverIsToldItLostEvents()
			throws Exception {
		stream("resource-api", SecurityEventCodec.SUPPORTED);
		stream("billing", SecurityEventCodec.SUPPORTED);
		StringRedisTemplate redis = new StringRedisTemplate(connections);
		String billingEvents = new RedisKeys(this.prefix).signalEvents("billing");
		redis.opsForValue().set(billingEvents, "not a stream");

		this.transmitter.publish(LatchkeyEvent.user(EventType.USER_DISABLED, "alice", this.clock.instant()));

		assertThat(poll("resource-api", List.of())).singleElement()
			.satisfies((set) -> assertThat(set.getJWTClaimsSet().getJSONObjectClaim("events"))
				.containsOnlyKeys(SecurityEventCodec.SESSION_REVOKED));
		redis.delete(billingEvents);
		assertThat(poll("billing", List.of())).singleElement()
			.satisfies((set) -> assertThat(set.getJWTClaimsSet().getJSONObjectClaim("events"))
				.containsOnlyKeys(SecurityEventCodec.STREAM_UPDATED));
	}

	@Test
	void pollWhenMaxEventsIsBeyondAWholeNumberOfThirtyTwoBitsThenTheFieldIsNamed() {
		stream("resource-api", SecurityEventCodec.SUPPORTED);
		for (String body : List.of("{\"maxEvents\":4294967296}", "{\"maxEvents\":-9223372036854775809}",
				"{\"maxEvents\":1e400}", "{\"maxEvents\":\"5\"}")) {
			assertThatExceptionOfType(InvalidRequestException.class)
				.isThrownBy(() -> this.polls.poll("resource-api", this.json.readTree(body)))
				.as(body)
				.satisfies((ex) -> assertThat(ex.field()).isEqualTo("maxEvents"));
		}
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> this.polls.poll("resource-api", this.json.readTree("{\"returnImmediately\":1}")))
			.satisfies((ex) -> assertThat(ex.field()).isEqualTo("returnImmediately"));
	}

	@Test
	void pollWhenTheReceiverAlreadyHasAPollWaitingThenAnotherReturnsAtOnceEmpty() throws Exception {
		stream("resource-api", SecurityEventCodec.SUPPORTED);
		SignalPolls waiting = new SignalPolls(this.streams, lost(this.streams), Duration.ofSeconds(25));
		List<CompletableFuture<Map<String, Object>>> polls = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			polls.add(CompletableFuture.supplyAsync(() -> waiting.poll("resource-api", this.json.readTree("{}"))));
		}
		CompletableFuture.anyOf(polls.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
		CompletableFuture<Map<String, Object>> done = polls.get(0).isDone() ? polls.get(0) : polls.get(1);
		CompletableFuture<Map<String, Object>> still = (done == polls.get(0)) ? polls.get(1) : polls.get(0);
		assertThat(sets(done.get())).isEmpty();

		this.transmitter.publish(LatchkeyEvent.tokenRevoked("alice", "t1", DIGEST, null, this.clock.instant()));
		assertThat(sets(still.get(15, TimeUnit.SECONDS))).as("the waiting one gets the event").hasSize(1);
	}

	@Test
	void verifyWhenAskedThenAVerificationEventGivesTheStateBack() throws Exception {
		SignalStream stream = stream("resource-api", List.of(SecurityEventCodec.CREDENTIAL_CHANGE));
		this.transmitter.verify(stream, "state-42");
		SignedJWT set = poll("resource-api", List.of()).get(0);
		assertThat(set.getJWTClaimsSet().getJSONObjectClaim("sub_id"))
			.isEqualTo(Map.of("format", "opaque", "id", stream.id()));
		assertThat(event(set.getJWTClaimsSet(), SecurityEventCodec.VERIFICATION)).containsEntry("state", "state-42");
	}

	private SignalTransmitter transmitter(SignalStreams streams, int maxEvents) {
		SecurityEventTokens tokens = new SecurityEventTokens(
				new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key))));
		tokens.setClock(this.clock);
		SignalTransmitter transmitter = new SignalTransmitter(streams, tokens, new AccessPolicy(Duration.ofMinutes(5)),
				Set.of("resource-api", "billing"), maxEvents);
		return transmitter;
	}

	private LostEvents lost(SignalStreams streams) {
		SecurityEventTokens tokens = new SecurityEventTokens(
				new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key))));
		tokens.setClock(this.clock);
		return new LostEvents(streams, tokens);
	}

	private SignalStream stream(String receiver, List<String> types) {
		SignalStream stream = new SignalStream(UUID.randomUUID().toString(), receiver, ISSUER,
				new Delivery(Delivery.POLL, URI.create(ISSUER + "/ssf/poll"), null), types, types, null,
				StreamStatus.ENABLED, null, this.clock.instant());
		assertThat(this.streams.create(stream)).isTrue();
		return stream;
	}

	private static JWKSet publicKeys() {
		return new JWKSet(key).toPublicJWKSet();
	}

	private List<SignedJWT> poll(String receiver, List<String> ack) throws Exception {
		Map<String, Object> answer = this.polls.poll(receiver,
				this.json.readTree(this.json.writeValueAsString(Map.of("ack", ack, "returnImmediately", true))));
		List<SignedJWT> sets = new ArrayList<>();
		for (String value : sets(answer).values()) {
			sets.add(SignedJWT.parse(value));
		}
		return sets;
	}

	private static List<String> types(List<SignedJWT> sets) throws Exception {
		List<String> types = new ArrayList<>();
		for (SignedJWT set : sets) {
			types.addAll(set.getJWTClaimsSet().getJSONObjectClaim("events").keySet());
		}
		return types;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> sets(Map<String, Object> answer) {
		return (Map<String, String>) answer.get("sets");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> event(JWTClaimsSet claims, String type) throws Exception {
		return (Map<String, Object>) claims.getJSONObjectClaim("events").get(type);
	}

}
