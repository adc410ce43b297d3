package io.latchkey.authorization.signals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.redis.RedisKeys;
import io.latchkey.authorization.redis.RedisSignalStreams;
import io.latchkey.core.event.LatchkeyEvent;
import io.latchkey.core.event.SecurityEventCodec;
import io.latchkey.testsupport.MutableClock;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Push delivery to a real HTTP receiver from events kept in a real Redis: two instances
 * pushing at once deliver each event once, in order; an instance that stops lets another
 * push at once; a failure waits out its backoff (on the clock) before the next try; a
 * paused stream keeps its events until enabled; a URL the administrator no longer allows
 * gets nothing.
 */
class SignalPushesTests {

	private static final String RECEIVER = "resource-api";

	private static LettuceConnectionFactory connections;

	private static JWKSet keys;

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));

	private final String prefix = "lktest-push-" + UUID.randomUUID().toString().substring(0, 8);

	private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();

	private final AtomicInteger attempts = new AtomicInteger();

	private final AtomicInteger failures = new AtomicInteger();

	private final CountDownLatch firstReceived = new CountDownLatch(1);

	private final CountDownLatch twoReceived = new CountDownLatch(2);

	/** Held by a test to keep the receiver's first answer back. */
	private final CountDownLatch answer = new CountDownLatch(1);

	private volatile boolean holdFirstAnswer;

	private HttpServer server;

	private SignalStreams streams;

	private SignalTransmitter transmitter;

	@BeforeAll
	static void start() throws Exception {
		connections = RealRedis.connectionFactory();
		keys = new JWKSet(new RSAKeyGenerator(2048).keyID("k1").generate());
	}

	@AfterAll
	static void stop() {
		connections.destroy();
	}

	@BeforeEach
	void receiverAndStream() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/ssf/events", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.attempts.incrementAndGet();
			int status = (this.failures.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) ? 503 : 202;
			if (status == 202) {
				this.received.add(body);
				this.firstReceived.countDown();
				this.twoReceived.countDown();
				if (this.holdFirstAnswer && this.received.size() == 1) {
					awaitQuietly(this.answer);
				}
			}
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		this.server.start();
		this.streams = streams();
		SecurityEventTokens tokens = new SecurityEventTokens(new NimbusJwtEncoder(new ImmutableJWKSet<>(keys)));
		this.transmitter = new SignalTransmitter(this.streams, tokens, new AccessPolicy(Duration.ofMinutes(5)),
				Set.of(RECEIVER), 1000);
		this.streams.create(new SignalStream(UUID.randomUUID().toString(), RECEIVER, "https://auth.example.com",
				new Delivery(Delivery.PUSH, url(), "Bearer receiver-secret"), SecurityEventCodec.SUPPORTED,
				SecurityEventCodec.SUPPORTED, null, StreamStatus.ENABLED, null, this.clock.instant()));
	}

	@AfterEach
	void stopReceiver() {
		this.server.stop(0);
	}

	@Test
	void runOnceWhenTwoInstancesPushAtOnceThenEachEventArrivesOnceInOrder() throws Exception {
		for (int i = 0; i < 20; i++) {
			revoke(i);
		}
		SignalPushes one = pushes(streams(), "http://127.0.0.1:*/ssf/events");
		SignalPushes two = pushes(streams(), "http://127.0.0.1:*/ssf/events");
		ExecutorService both = Executors.newFixedThreadPool(2);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<Integer>> runs = List.of(both.submit(() -> {
			go.await();
			return one.runOnce() + one.runOnce();
		}), both.submit(() -> {
			go.await();
			return two.runOnce() + two.runOnce();
		}));
		go.countDown();
		int delivered = runs.get(0).get() + runs.get(1).get();
		both.shutdown();

		assertThat(delivered).isEqualTo(20);
		assertThat(this.received).hasSize(20);
		List<String> digests = this.received.stream().map(SignalPushesTests::digest).toList();
		assertThat(digests).containsExactlyElementsOf(
				java.util.stream.IntStream.range(0, 20).mapToObj(SignalPushesTests::digestOf).toList());
		assertThat(this.streams.pending(RECEIVER, 100)).isEmpty();
	}

	@Test
	void runOnceWhenTheReceiverFailsThenNothingIsTriedBeforeTheBackoffAndNothingIsLost() {
		SignalPushes pushes = pushes(this.streams, "http://127.0.0.1:*/ssf/events");
		this.failures.set(2);
		revoke(1);
		assertThat(pushes.runOnce()).isZero();
		assertThat(pushes.runOnce()).isZero();
		assertThat(this.attempts.get()).isEqualTo(1);

		this.clock.advance(Duration.ofSeconds(1));
		assertThat(pushes.runOnce()).isZero();
		assertThat(this.attempts.get()).isEqualTo(2);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(pushes.runOnce()).as("the backoff doubled").isZero();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(pushes.runOnce()).isEqualTo(1);
		assertThat(this.received).hasSize(1);
		assertThat(this.streams.pending(RECEIVER, 10)).isEmpty();
	}

	@Test
	void runOnceWhenTheStreamWasCreatedAnewAfterAFailureThenItIsPushedAtOnce() {
		SignalPushes pushes = pushes(this.streams, "http://127.0.0.1:*/ssf/events");
		this.failures.set(1);
		revoke(1);
		assertThat(pushes.runOnce()).isZero();
		this.streams.delete(RECEIVER);
		this.streams.create(new SignalStream(UUID.randomUUID().toString(), RECEIVER, "https://auth.example.com",
				new Delivery(Delivery.PUSH, url(), null), SecurityEventCodec.SUPPORTED, SecurityEventCodec.SUPPORTED,
				null, StreamStatus.ENABLED, null, this.clock.instant()));
		revoke(2);
		assertThat(pushes.runOnce()).as("not held back by the old stream's backoff").isEqualTo(1);
		assertThat(this.received).singleElement().satisfies((set) -> assertThat(digest(set)).isEqualTo(digestOf(2)));
	}

	@Test
	void runOnceWhenTheStreamIsPausedThenNothingIsPushedUntilItIsEnabledAgain() {
		SignalPushes pushes = pushes(this.streams, "http://127.0.0.1:*/ssf/events");
		SignalStream stream = this.streams.find(RECEIVER).orElseThrow();
		this.streams.replace(stream.withStatus(StreamStatus.PAUSED, "maintenance"));
		revoke(1);
		assertThat(pushes.runOnce()).isZero();
		assertThat(this.attempts.get()).isZero();
		assertThat(this.streams.pending(RECEIVER, 10)).hasSize(1);

		this.streams.replace(stream.withStatus(StreamStatus.ENABLED, null));
		assertThat(pushes.runOnce()).isEqualTo(1);
		assertThat(this.received).singleElement().satisfies((set) -> assertThat(digest(set)).isEqualTo(digestOf(1)));
	}

	@Test
	void runOnceWhenTheStreamLostEventsThenStreamUpdatedIsPushedFirstAndOnceAccepted() throws Exception {
		SignalPushes pushes = pushes(this.streams, "http://127.0.0.1:*/ssf/events");
		revoke(1);
		this.streams.markLost(RECEIVER);
		this.failures.set(1);
		assertThat(pushes.runOnce()).isZero();
		assertThat(this.streams.lost(RECEIVER)).as("kept until accepted").isPresent();

		this.clock.advance(Duration.ofSeconds(1));
		assertThat(pushes.runOnce()).isEqualTo(2);
		List<String> received = List.copyOf(this.received);
		assertThat(SignedJWT.parse(received.get(0)).getJWTClaimsSet().getJSONObjectClaim("events"))
			.containsOnlyKeys(SecurityEventCodec.STREAM_UPDATED);
		assertThat(digest(received.get(1))).isEqualTo(digestOf(1));
		assertThat(this.streams.lost(RECEIVER)).isEmpty();
		assertThat(pushes.runOnce()).isZero();
	}

	@Test
	void runOnceWhenTheUrlIsNoLongerAllowedThenNothingIsPushedAndTheEventsStay() {
		SignalPushes pushes = pushes(this.streams, "https://receiver.example.com/ssf/events");
		revoke(1);
		assertThat(pushes.runOnce()).isZero();
		assertThat(this.attempts.get()).isZero();
		assertThat(this.streams.pending(RECEIVER, 10)).hasSize(1);
	}

	@Test
	void runOnceWhenAStreamsHeaderCannotBeSentThenItBacksOffAndTheOtherStreamsAreStillPushed() {
		this.streams.create(new SignalStream(UUID.randomUUID().toString(), "billing", "https://auth.example.com",
				new Delivery(Delivery.PUSH, url(), "Bearer a\r\nX-Injected: 1"), SecurityEventCodec.SUPPORTED,
				SecurityEventCodec.SUPPORTED, null, StreamStatus.ENABLED, null, this.clock.instant()));
		this.streams.append("billing", "billing-1", "a.b.c", 1000);
		revoke(1);
		SignalPushes pushes = pushes(this.streams, List.of("billing", RECEIVER), "http://127.0.0.1:*/ssf/events");

		assertThat(pushes.runOnce()).isEqualTo(1);
		assertThat(this.received).hasSize(1);
		assertThat(this.streams.pending("billing", 10)).hasSize(1);
	}

	@Test
	void runOnceWhenAReceiverTricklesItsAnswerThenTheOthersArePushedMeanwhileAndItCountsAsFailed() throws Exception {
		try (ServerSocket trickling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			AtomicInteger connections = new AtomicInteger();
			CountDownLatch cutOff = new CountDownLatch(1);
			Thread receiver = Thread.ofVirtual().start(() -> trickle(trickling, connections, cutOff));
			this.streams.create(new SignalStream(UUID.randomUUID().toString(), "billing", "https://auth.example.com",
					new Delivery(Delivery.PUSH,
							URI.create("http://127.0.0.1:" + trickling.getLocalPort() + "/ssf/events"), null),
					SecurityEventCodec.SUPPORTED, SecurityEventCodec.SUPPORTED, null, StreamStatus.ENABLED, null,
					this.clock.instant()));
			this.streams.append("billing", "billing-1", "a.b.c", 1000);
			revoke(1);
			SignalPushes pushes = pushes(this.streams, List.of("billing", RECEIVER), "http://127.0.0.1:*/ssf/events");
			pushes.setTimeout(Duration.ofSeconds(3));

			CompletableFuture<Integer> run = CompletableFuture.supplyAsync(pushes::runOnce);
			assertThat(this.firstReceived.await(20, TimeUnit.SECONDS)).as("the other receiver got its event").isTrue();
			assertThat(cutOff.getCount()).as("while the trickling one was still answering").isOne();

			assertThat(run.get(20, TimeUnit.SECONDS)).isEqualTo(1);
			assertThat(cutOff.await(20, TimeUnit.SECONDS)).as("its answer was cut off").isTrue();
			assertThat(this.streams.pending("billing", 10)).as("kept for the next try").hasSize(1);
			assertThat(pushes.runOnce()).isZero();
			assertThat(connections.get()).as("backing off").isOne();
			receiver.interrupt();
		}
	}

	@Test
	void wakeWhenAnEventIsKeptWhileItsStreamIsBeingPushedThenItGoesOutWithoutWaitingForTheNextRun() throws Exception {
		SignalPushes pushes = pushes(this.streams, List.of(RECEIVER), "http://127.0.0.1:*/ssf/events",
				Duration.ofHours(1));
		this.transmitter.setOnKept(pushes::wake);
		this.holdFirstAnswer = true;
		pushes.start();
		try {
			revoke(1);
			assertThat(this.firstReceived.await(20, TimeUnit.SECONDS)).as("the first event is being pushed").isTrue();
			revoke(2);
			this.answer.countDown();

			assertThat(this.twoReceived.await(20, TimeUnit.SECONDS))
				.as("the second event went out without waiting an hour for the next run")
				.isTrue();
			assertThat(this.received.stream().map(SignalPushesTests::digest)).containsExactly(digestOf(1), digestOf(2));
		}
		finally {
			this.answer.countDown();
			pushes.stop();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Accepts a push, answers 202 with a body it never finishes, and notes the cut-off.
	 */
	private static void trickle(ServerSocket server, AtomicInteger connections, CountDownLatch cutOff) {
		while (!server.isClosed()) {
			try (Socket socket = server.accept()) {
				connections.incrementAndGet();
				InputStream in = socket.getInputStream();
				String head = "";
				while (!head.endsWith("\r\n\r\n")) {
					int b = in.read();
					if (b < 0) {
						break;
					}
					head += (char) b;
				}
				java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
					.matcher(head);
				in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
				OutputStream out = socket.getOutputStream();
				out.write(
						"HTTP/1.1 202 Accepted\r\nContent-Length: 100000\r\n\r\n{".getBytes(StandardCharsets.US_ASCII));
				out.flush();
				while (in.read() >= 0) {
					// the push reads on; the body never ends
				}
				cutOff.countDown();
			}
			catch (IOException ex) {
				cutOff.countDown();
			}
		}
	}

	private void revoke(int i) {
		this.transmitter.publish(LatchkeyEvent.tokenRevoked("alice", "t" + i, digestOf(i), null, this.clock.instant()));
	}

	private SignalStreams streams() {
		return new RedisSignalStreams(new StringRedisTemplate(connections), new RedisKeys(this.prefix));
	}

	private SignalPushes pushes(SignalStreams streams, String allowed) {
		return pushes(streams, List.of(RECEIVER), allowed);
	}

	private SignalPushes pushes(SignalStreams streams, List<String> receivers, String allowed) {
		return pushes(streams, receivers, allowed, Duration.ofSeconds(1));
	}

	private SignalPushes pushes(SignalStreams streams, List<String> receivers, String allowed, Duration every) {
		LostEvents lost = new LostEvents(streams,
				new SecurityEventTokens(new NimbusJwtEncoder(new ImmutableJWKSet<>(keys))));
		SignalPushes pushes = new SignalPushes(streams, lost, receivers, new PushUrls(List.of(allowed)), 5,
				Duration.ofSeconds(1), Duration.ofMinutes(1), every);
		pushes.setClock(this.clock);
		return pushes;
	}

	private URI url() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/ssf/events");
	}

	private static String digestOf(int i) {
		return String.format("%064x", i);
	}

	private static String digest(String set) {
		try {
			return (String) SignedJWT.parse(set).getJWTClaimsSet().getJSONObjectClaim("sub_id").get("id");
		}
		catch (java.text.ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
