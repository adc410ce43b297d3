package io.latchkey.resource.events;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.latchkey.core.cache.EventDrivenCache;
import io.latchkey.core.event.EventType;
import io.latchkey.core.event.LatchkeyEvent;
import io.latchkey.core.event.SecurityEventCodec;
import io.latchkey.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receiver against a real HTTP transmitter on loopback ({@link FakeTransmitter}) that
 * signs its SETs with its own key: it connects (token, configuration, a poll or push
 * stream) and empties the cache, drops what each verified SET names and acknowledges it,
 * and empties the cache (refusing the SET back) for a SET signed by another key, meant
 * for another client or too old, after a poll that failed, and when events were lost.
 * Pushed to, it names its URL and a secret header, which alone lets a push in.
 */
class SharedSignalsReceiverTests {

	private static final String CLIENT = "resource-api";

	private static final String DIGEST = "ab".repeat(32);

	private static final URI PUSH_URL = URI.create("https://orders.example/ssf/events");

	private final MutableClock clock = new MutableClock(Instant.now());

	private final JsonMapper json = JsonMapper.builder().build();

	private final Recording cache = new Recording();

	private final FakeTransmitter transmitter = new FakeTransmitter();

	@AfterEach
	void stopTransmitter() {
		this.transmitter.close();
	}

	@Test
	void runOnceWhenConnectingThenAPollStreamIsCreatedAndTheCacheEmptied() {
		assertThat(receiver().runOnce()).isZero();
		assertThat(this.transmitter.streamRequests()).hasSize(2);
		assertThat(this.transmitter.streamRequests().get(0)).startsWith("GET");
		assertThat(this.transmitter.streamRequests().get(1)).startsWith("POST").contains("urn:ietf:rfc:8936");
		assertThat(this.cache.drops).containsExactly("*");
	}

	@Test
	void runOnceWhenAStreamExistsThenItIsTurnedToPoll() {
		this.transmitter.existingStream = true;
		receiver().runOnce();
		assertThat(this.transmitter.streamRequests().get(1)).startsWith("PUT")
			.contains("\"stream_id\":\"s1\"")
			.contains("urn:ietf:rfc:8936");
	}

	@Test
	void runOnceWhenARevocationIsPolledThenItsAnswerIsDroppedAndAcknowledgedInTheNextPoll() {
		SharedSignalsReceiver receiver = receiver();
		receiver.runOnce();
		this.cache.drops.clear();
		this.transmitter.waiting.add(this.transmitter.set(FakeTransmitter.key, CLIENT, Instant.now(),
				LatchkeyEvent.tokenRevoked("alice", "t1", DIGEST, Instant.now())));
		this.transmitter.waiting.add(this.transmitter.set(FakeTransmitter.key, CLIENT, Instant.now(),
				LatchkeyEvent.user(EventType.USER_DISABLED, "Bob", Instant.now())));
		assertThat(receiver.runOnce()).isEqualTo(2);
		assertThat(this.cache.drops).containsExactly("token:" + DIGEST, "user:bob");
		receiver.runOnce();
		JsonNode last = this.transmitter.polls.get(this.transmitter.polls.size() - 1);
		assertThat(last.get("ack").values()).hasSize(2);
		assertThat(last.has("setErrs")).isFalse();
	}

	@Test
	void runOnceWhenASetDoesNotVerifyThenEverythingIsDroppedAndTheSetRefused() {
		SharedSignalsReceiver receiver = receiver();
		receiver.runOnce();
		LatchkeyEvent revoked = LatchkeyEvent.tokenRevoked("alice", "t1", DIGEST, Instant.now());
		List<String> bad = List.of(this.transmitter.set(FakeTransmitter.otherKey, CLIENT, Instant.now(), revoked),
				this.transmitter.set(FakeTransmitter.key, "billing", Instant.now(), revoked),
				this.transmitter.set(FakeTransmitter.key, CLIENT, Instant.now().minus(Duration.ofDays(2)), revoked));
		for (String set : bad) {
			this.cache.drops.clear();
			this.transmitter.waiting.add(set);
			assertThat(receiver.runOnce()).isZero();
			assertThat(this.cache.drops).containsExactly("*");
			receiver.runOnce();
			JsonNode last = this.transmitter.polls.get(this.transmitter.polls.size() - 1);
			assertThat(last.get("setErrs").propertyNames()).hasSize(1);
		}
	}

	@Test
	void runOnceWhenThePollFailsOrEventsWereLostThenEverythingIsDropped() {
		SharedSignalsReceiver receiver = receiver();
		receiver.runOnce();
		this.cache.drops.clear();
		this.transmitter.pollStatus = 503;
		receiver.runOnce();
		assertThat(this.cache.drops).contains("*");

		this.transmitter.pollStatus = 200;
		receiver.runOnce();
		this.cache.drops.clear();
		this.transmitter.waiting.add(this.transmitter.sign(FakeTransmitter.key, CLIENT, Instant.now(),
				Map.of("format", "opaque", "id", "s1"), SecurityEventCodec.STREAM_UPDATED,
				Map.of("status", "enabled", "reason", "events were dropped")));
		receiver.runOnce();
		assertThat(this.cache.drops).containsExactly("*");
	}

	@Test
	void runOnceWhenTheStreamWasLeftPausedThenItIsEnabledAgain() {
		this.transmitter.existingStream = true;
		this.transmitter.status = "paused";
		receiver().runOnce();
		assertThat(this.transmitter.statusChanges()).containsExactly("enabled");
		assertThat(this.transmitter.status).isEqualTo("enabled");
	}

	@Test
	void runOnceWhenAPushStreamIsPausedMeanwhileThenEverythingIsDroppedAndItIsEnabledAgain() {
		SharedSignalsReceiver receiver = pushReceiver();
		receiver.runOnce();
		assertThat(this.transmitter.statusChanges()).isEmpty();
		this.cache.drops.clear();
		receiver.runOnce();
		assertThat(this.cache.drops).isEmpty();
		this.transmitter.status = "disabled";
		receiver.runOnce();
		assertThat(this.cache.drops).containsExactly("*");
		receiver.runOnce();
		assertThat(this.transmitter.statusChanges()).containsExactly("enabled");
	}

	@Test
	void runOnceWhenPushedThenThePushStreamNamesItsUrlAndASecretHeaderAndNothingIsPolled() {
		SharedSignalsReceiver receiver = pushReceiver();
		receiver.runOnce();
		receiver.runOnce();
		assertThat(this.transmitter.streamRequests()).hasSize(2);
		JsonNode delivery = this.json.readTree(this.transmitter.streamRequests().get(1).substring("POST ".length()))
			.path("delivery");
		assertThat(delivery.path("method").asString()).isEqualTo(SharedSignalsReceiver.PUSH);
		assertThat(delivery.path("endpoint_url").asString()).isEqualTo(PUSH_URL.toString());
		String header = delivery.path("authorization_header").asString();
		assertThat(header).startsWith("Bearer ").hasSizeGreaterThan(40);
		assertThat(receiver.isTransmitter(header)).isTrue();
		assertThat(receiver.isTransmitter(null)).isFalse();
		assertThat(receiver.isTransmitter("Bearer at-1")).isFalse();
		assertThat(receiver.isTransmitter(header + "x")).isFalse();
		assertThat(this.transmitter.polls).isEmpty();
		assertThat(this.cache.drops).containsExactly("*");
	}

	@Test
	void isTransmitterWhenNotConnectedThenNoHeaderGetsIn() {
		assertThat(pushReceiver().isTransmitter("Bearer ")).isFalse();
	}

	@Test
	void receiveWhenAVerifiedRevocationIsPushedThenOnlyItsAnswerIsDropped() {
		SharedSignalsReceiver receiver = pushReceiver();
		receiver.runOnce();
		this.cache.drops.clear();
		String set = this.transmitter.set(FakeTransmitter.key, CLIENT, Instant.now(),
				LatchkeyEvent.tokenRevoked("alice", "t1", DIGEST, Instant.now()));
		assertThat(receiver.receive(set)).isNull();
		assertThat(this.cache.drops).containsExactly("token:" + DIGEST);
	}

	@Test
	void receiveWhenAPushedSetDoesNotVerifyThenEverythingIsDroppedWithTheRfc8935Error() {
		SharedSignalsReceiver receiver = pushReceiver();
		receiver.runOnce();
		LatchkeyEvent revoked = LatchkeyEvent.tokenRevoked("alice", "t1", DIGEST, Instant.now());
		Map<String, String> bad = Map.of("invalid_key",
				this.transmitter.set(FakeTransmitter.otherKey, CLIENT, Instant.now(), revoked), "invalid_audience",
				this.transmitter.set(FakeTransmitter.key, "billing", Instant.now(), revoked), "invalid_request",
				this.transmitter.set(FakeTransmitter.key, CLIENT, Instant.now().minus(Duration.ofDays(2)), revoked));
		bad.forEach((err, set) -> {
			this.cache.drops.clear();
			SharedSignalsReceiver.PushError error = receiver.receive(set);
			assertThat(error).isNotNull();
			assertThat(error.status()).isEqualTo(400);
			assertThat(error.err()).as(err).isEqualTo(err);
			assertThat(this.cache.drops).containsExactly("*");
		});
		this.cache.drops.clear();
		assertThat(receiver.receive(null).err()).isEqualTo("invalid_request");
		assertThat(receiver.receive("not-a-jwt").err()).isEqualTo("invalid_request");
		assertThat(this.cache.drops).containsExactly("*", "*");
	}

	@Test
	void receiveWhenNotConnectedYetThenTheTransmitterIsToldToTryAgain() {
		SharedSignalsReceiver.PushError error = pushReceiver().receive("anything");
		assertThat(error).isNotNull();
		assertThat(error.status()).isEqualTo(503);
		assertThat(this.cache.drops).isEmpty();
	}

	private SharedSignalsReceiver pushReceiver() {
		SharedSignalsReceiver receiver = receiver();
		receiver.setPushDelivery(PUSH_URL);
		return receiver;
	}

	private SharedSignalsReceiver receiver() {
		SharedSignalsReceiver receiver = new SharedSignalsReceiver(this.cache, URI.create(this.transmitter.issuer),
				CLIENT, "client-secret", Duration.ofSeconds(1), Duration.ofDays(1));
		receiver.setClock(this.clock);
		return receiver;
	}

	/** A cache that notes what it was told to drop. */
	static final class Recording implements EventDrivenCache {

		final List<String> drops = new ArrayList<>();

		@Override
		public void dropToken(String tokenDigest) {
			this.drops.add("token:" + tokenDigest);
		}

		@Override
		public void dropUsers(Set<String> usernameKeys) {
			usernameKeys.stream().sorted().forEach((user) -> this.drops.add("user:" + user));
		}

		@Override
		public void dropAll() {
			this.drops.add("*");
		}

	}

}
