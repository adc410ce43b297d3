package io.latchkey.resource.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.latchkey.dpop.ProofReplayCache;
import io.latchkey.core.event.LatchkeyEventCodec;
import io.latchkey.resource.events.SharedSignalsReceiver;
import io.latchkey.resource.introspection.AudienceCheckingIntrospector;
import io.latchkey.resource.introspection.CachingOpaqueTokenIntrospector;
import io.latchkey.resource.introspection.IntrospectionCache;
import io.latchkey.resource.web.LatchkeyResourceServerConfigurer;
import io.latchkey.resource.web.ProtectedResourceMetadata;
import io.latchkey.testsupport.ContextRunners;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.security.oauth2.jwt.DPoPProofReplayValidator;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * What the resource-server dependency configures, with every auto-configuration on the
 * classpath as in an application: each bean backs off when the application defines its
 * own, the conditions hold, and properties bind with clear errors.
 */
class LatchkeyResourceServerAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withUserConfiguration(ContextRunners.Application.class)
		.withPropertyValues("spring.data.redis.url=" + RealRedis.uri(),
				"spring.security.oauth2.resourceserver.opaquetoken.introspection-uri=http://127.0.0.1:9/oauth2/introspect",
				"spring.security.oauth2.resourceserver.opaquetoken.client-id=orders",
				"spring.security.oauth2.resourceserver.opaquetoken.client-secret=runner-secret");

	@Test
	void contextWhenNothingIsDefinedThenACachingIntrospectorThePushSubscriptionAndMetrics() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(IntrospectionCache.class)
				.hasBean("latchkeyRevocationEvents")
				.hasBean("latchkeyIntrospectionCacheMetrics")
				.hasBean("latchkeyResourceClientAddressFilter")
				.hasBean("latchkeyUnavailableFilter");
			assertThat(context).getBean(OpaqueTokenIntrospector.class)
				.isInstanceOf(CachingOpaqueTokenIntrospector.class);
		});
	}

	@Test
	void contextWhenEventsComeFromSharedSignalsThenAReceiverAndNoRedisSubscription() {
		this.runner.withPropertyValues("latchkey.resource.events.source=ssf")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(SharedSignalsReceiver.class)
				.doesNotHaveBean("latchkeyRevocationEvents"));
	}

	@Test
	void contextWhenRedisIsNotOnTheClasspathThenSharedSignalsWorkAndProofsAreKeptInMemory() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "io.lettuce"))
			.withPropertyValues("latchkey.resource.events.source=ssf")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(SharedSignalsReceiver.class)
					.doesNotHaveBean("latchkeyRevocationEvents");
				assertThat(context).getBean(LatchkeyResourceServerConfigurer.PROOF_REPLAYS)
					.isInstanceOf(DPoPProofReplayValidator.InMemoryCache.class);
				assertThat(context).getBean(OpaqueTokenIntrospector.class)
					.isInstanceOf(CachingOpaqueTokenIntrospector.class);
			});
	}

	@Test
	void contextWhenEventsComeFromRedisButRedisIsNotOnTheClasspathThenItFailsToStartSayingWhatToAdd() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "io.lettuce"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("spring-boot-starter-data-redis")
				.hasMessageContaining("latchkey.resource.events.source=ssf"));
	}

	@Test
	void contextWhenEventsArePushedThenTheirEndpointHasAChainOfItsOwnBeforeTheApplications() {
		this.runner
			.withPropertyValues("latchkey.resource.events.source=ssf", "latchkey.resource.events.delivery=push",
					"latchkey.resource.events.push-url=https://orders.example/ssf/events")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasBean("latchkeySharedSignalsPushSecurityFilterChain")
				.hasBean("latchkeyResourceServerSecurityFilterChain"));
	}

	@Test
	void contextWhenEventsArePolledThenNoPushEndpoint() {
		this.runner.withPropertyValues("latchkey.resource.events.source=ssf")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("latchkeySharedSignalsPushSecurityFilterChain"));
	}

	@Test
	void contextWhenEventsArePushedWithoutTheirUrlThenFailsNamingIt() {
		ContextRunners.assertStartupFailsNaming(this.runner.withPropertyValues("latchkey.resource.events.source=ssf"),
				"latchkey.resource.events.delivery=push", "latchkey.resource.events.push-url is required");
	}

	@Test
	void contextWhenEventsComeFromRedisThenNoSharedSignalsReceiver() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SharedSignalsReceiver.class));
	}

	@Test
	void contextWhenTheEventSourceIsUnknownThenFailsNamingIt() {
		this.runner.withPropertyValues("latchkey.resource.events.source=kafka")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("latchkey.resource.events.source"));
	}

	@Test
	void contextWhenNotAServletApplicationThenNoLatchkeyBean() {
		new ApplicationContextRunner().withUserConfiguration(ContextRunners.Application.class)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(IntrospectionCache.class));
	}

	@Test
	void introspectorWhenTheApplicationDefinesItsOwnThenLatchkeysBacksOff() {
		OpaqueTokenIntrospector own = mock(OpaqueTokenIntrospector.class);
		this.runner.withBean(OpaqueTokenIntrospector.class, () -> own)
			.run((context) -> assertThat(context).hasNotFailed().getBean(OpaqueTokenIntrospector.class).isSameAs(own));
	}

	@Test
	void cacheWhenTheApplicationDefinesItsOwnThenTheIntrospectorAndTheEventsUseIt() {
		IntrospectionCache own = new IntrospectionCache(10, Duration.ofSeconds(5), Duration.ofSeconds(1),
				Clock.systemUTC());
		this.runner.withBean(IntrospectionCache.class, () -> own)
			.run((context) -> assertThat(context).hasNotFailed().getBean(IntrospectionCache.class).isSameAs(own));
	}

	@Test
	void codecWhenTheApplicationDefinesItsOwnThenLatchkeysBacksOff() {
		LatchkeyEventCodec own = new LatchkeyEventCodec();
		this.runner.withBean(LatchkeyEventCodec.class, () -> own)
			.run((context) -> assertThat(context).hasNotFailed().getBean(LatchkeyEventCodec.class).isSameAs(own));
	}

	@Test
	void subscriptionWhenTheApplicationDefinesItByNameThenItsOwnIsUsed() {
		this.runner.withUserConfiguration(OwnSubscription.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean("latchkeyRevocationEvents")
				.isSameAs(context.getBean(OwnSubscription.class).container));
	}

	@Test
	void introspectorWhenTheCacheIsOffThenEveryRequestAsksTheAuthServerAndChecksTheAudience() {
		this.runner.withPropertyValues("latchkey.resource.introspection.cache-enabled=false")
			.run((context) -> assertThat(context).getBean(OpaqueTokenIntrospector.class)
				.isInstanceOf(AudienceCheckingIntrospector.class));
	}

	@Test
	void proofReplaysWhenTheApplicationDefinesItsOwnCacheByNameThenItIsUsed() {
		Cache own = new ConcurrentMapCache("own-proofs");
		this.runner.withBean(LatchkeyResourceServerConfigurer.PROOF_REPLAYS, Cache.class, () -> own)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(LatchkeyResourceServerConfigurer.PROOF_REPLAYS)
				.isSameAs(own));
	}

	@Test
	void proofReplaysWhenThereIsRedisThenKeptThereForEveryInstance() {
		this.runner.run((context) -> assertThat(context).getBean(LatchkeyResourceServerConfigurer.PROOF_REPLAYS)
			.isInstanceOf(ProofReplayCache.class));
	}

	@Test
	void metadataWhenTheApplicationDefinesItsOwnThenLatchkeysBacksOff() {
		ProtectedResourceMetadata own = new ProtectedResourceMetadata(null, "Own", URI.create("https://as.example"),
				List.of("own.read"), new DefaultListableBeanFactory());
		this.runner.withBean(ProtectedResourceMetadata.class, () -> own)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(ProtectedResourceMetadata.class)
				.isSameAs(own));
	}

	@Test
	void signedAnswersWhenAskedForThenTheIntrospectorVerifiesThemBehindTheAudienceCheck() {
		this.runner
			.withPropertyValues("latchkey.resource.introspection.signed-answers=true",
					"latchkey.resource.introspection.cache-enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(OpaqueTokenIntrospector.class)
				.isInstanceOf(AudienceCheckingIntrospector.class));
	}

	@Test
	void introspectorWhenNoIntrospectionUriThenStartupFailsNamingIt() {
		new WebApplicationContextRunner().withUserConfiguration(ContextRunners.Application.class)
			.withPropertyValues("spring.data.redis.url=" + RealRedis.uri())
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri"));
	}

	@Test
	void propertiesWhenAValueIsInvalidThenStartupFailsNamingTheProperty() {
		// validation errors name the field of the bound record ("on field
		// 'introspection.cacheMaxSize'")
		ContextRunners.assertStartupFailsNaming(this.runner, "latchkey.resource.introspection.cache-max-size=0",
				"'introspection.cacheMaxSize'");
		ContextRunners.assertStartupFailsNaming(this.runner, "latchkey.resource.introspection.max-connections=0",
				"'introspection.maxConnections'");
		ContextRunners.assertStartupFailsNaming(this.runner, "latchkey.http.trusted-proxies=not-an-address",
				"latchkey.http.trusted-proxies");
		ContextRunners.assertStartupFailsNaming(this.runner, "latchkey.resource.events-channel=", "'eventsChannel'");
	}

	@Test
	void propertiesWhenBoundThenTheCacheUsesThem() {
		this.runner.withPropertyValues("latchkey.resource.introspection.cache-max-age=5s").run((context) -> {
			LatchkeyResourceServerProperties properties = context.getBean(LatchkeyResourceServerProperties.class);
			assertThat(properties.introspection().cacheMaxAge()).isEqualTo(Duration.ofSeconds(5));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSubscription {

		final RedisMessageListenerContainer container = new RedisMessageListenerContainer();

		@Bean
		RedisMessageListenerContainer latchkeyRevocationEvents(RedisConnectionFactory connections) {
			this.container.setConnectionFactory(connections);
			return this.container;
		}

	}

}
