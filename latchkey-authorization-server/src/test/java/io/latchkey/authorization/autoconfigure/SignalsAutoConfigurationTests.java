package io.latchkey.authorization.autoconfigure;

import java.util.UUID;

import io.latchkey.authorization.event.EventPublisher;
import io.latchkey.authorization.signals.SignalPushes;
import io.latchkey.authorization.signals.SignalStreams;
import io.latchkey.authorization.signals.SignalTransmitter;
import io.latchkey.authorization.signals.SignalsController;
import io.latchkey.testsupport.ContextRunners;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Shared Signals transmitter from the dependency alone: off until a client is allowed
 * a stream, then its streams, delivery, endpoints and chain; a client id that cannot be a
 * Redis hash tag is refused at start-up, by name.
 */
class SignalsAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withUserConfiguration(ContextRunners.Application.class)
		.withPropertyValues("spring.data.redis.url=" + RealRedis.uri(),
				"latchkey.redis.key-prefix=runner-" + UUID.randomUUID(), "latchkey.admin.password=runner-password",
				"latchkey.admin.generated-password-file=target/runner-admin-password");

	@Test
	void contextWhenNoClientIsAllowedThenNoTransmitter() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(EventPublisher.class)
			.doesNotHaveBean(SignalTransmitter.class)
			.doesNotHaveBean(SignalsController.class)
			.doesNotHaveBean("latchkeySignalsSecurityFilterChain"));
	}

	@Test
	void contextWhenAClientIsAllowedThenTransmitterDeliveryEndpointsAndChain() {
		this.runner.withPropertyValues("latchkey.signals.allowed-clients=resource-api")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(SignalStreams.class)
				.hasSingleBean(SignalTransmitter.class)
				.hasSingleBean(SignalPushes.class)
				.hasSingleBean(SignalsController.class)
				.hasBean("latchkeySignalsSecurityFilterChain")
				.getBean("latchkeySignalsSecurityFilterChain")
				.isInstanceOf(SecurityFilterChain.class));
	}

	@Test
	void contextWhenAnAllowedClientHoldsABraceThenFailsNamingIt() {
		this.runner.withPropertyValues("latchkey.signals.allowed-clients=bad{client}")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("latchkey.signals.allowed-clients: 'bad{client}'"));
	}

}
