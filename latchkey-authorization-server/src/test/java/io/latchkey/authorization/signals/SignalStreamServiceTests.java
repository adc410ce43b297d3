package io.latchkey.authorization.signals;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.redis.RedisKeys;
import io.latchkey.authorization.redis.RedisSignalStreams;
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
 * A stream's configuration is checked before it is kept, on a real Redis: what a push
 * would send must be sendable, so that no receiver can break pushes with it.
 */
class SignalStreamServiceTests {

	private static final String RECEIVER = "resource-api";

	private static final URI POLL_URL = URI.create("https://auth.example.com/ssf/poll");

	private static LettuceConnectionFactory connections;

	private static JWKSet keys;

	private final JsonMapper json = JsonMapper.builder().build();

	private SignalStreams streams;

	private SignalStreamService service;

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
	void service() {
		this.streams = new RedisSignalStreams(new StringRedisTemplate(connections),
				new RedisKeys("lktest-ssfsvc-" + UUID.randomUUID().toString().substring(0, 8)));
		SignalTransmitter transmitter = new SignalTransmitter(this.streams,
				new SecurityEventTokens(new NimbusJwtEncoder(new ImmutableJWKSet<>(keys))),
				new AccessPolicy(Duration.ofMinutes(5)), Set.of(RECEIVER), 100);
		this.service = new SignalStreamService(this.streams, transmitter,
				new PushUrls(List.of("https://receiver.example.com/ssf/events")));
	}

	@Test
	void createWhenTheAuthorizationHeaderHoldsALineBreakOrControlOrNonAsciiThen400NamingItAndNothingKept() {
		for (String header : List.of("Bearer a\r\nX-Injected: 1", "Bearer a\nb", "Bearer \u0000", "Bearer \t1",
				"Bearer caf\u00e9", "Bearer \u2603", "")) {
			assertThatExceptionOfType(InvalidRequestException.class)
				.isThrownBy(() -> this.service.create(RECEIVER, "https://auth.example.com", POLL_URL, push(header)))
				.as(header)
				.satisfies((ex) -> assertThat(ex.field()).isEqualTo("delivery.authorization_header"));
		}
		assertThat(this.streams.find(RECEIVER)).isEmpty();
	}

	@Test
	void updateWhenTheAuthorizationHeaderHoldsALineBreakThen400NamingIt() {
		SignalStream stream = this.service.create(RECEIVER, "https://auth.example.com", POLL_URL,
				push("Bearer receiver-secret"));
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> this.service.update(RECEIVER, POLL_URL,
					this.json.valueToTree(Map.of("stream_id", stream.id(), "delivery",
							Map.of("method", Delivery.PUSH, "endpoint_url", "https://receiver.example.com/ssf/events",
									"authorization_header", "Bearer x\r\nHost: elsewhere"))),
					false))
			.satisfies((ex) -> assertThat(ex.field()).isEqualTo("delivery.authorization_header"));
		assertThat(this.streams.find(RECEIVER).orElseThrow().delivery().authorizationHeader())
			.isEqualTo("Bearer receiver-secret");
	}

	private tools.jackson.databind.JsonNode push(String header) {
		return this.json.valueToTree(Map.of("delivery", Map.of("method", Delivery.PUSH, "endpoint_url",
				"https://receiver.example.com/ssf/events", "authorization_header", header)));
	}

}
