package io.latchkey.resource.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.latchkey.core.TrustedProxies;
import io.latchkey.core.event.LatchkeyEventCodec;
import io.latchkey.core.servlet.ClientAddressFilter;
import io.latchkey.resource.events.SharedSignalsReceiver;
import io.latchkey.resource.introspection.AudienceCheckingIntrospector;
import io.latchkey.resource.introspection.CachingOpaqueTokenIntrospector;
import io.latchkey.resource.introspection.ClientAddress;
import io.latchkey.resource.introspection.IntrospectionCache;
import io.latchkey.resource.introspection.SignedAnswerIntrospector;
import io.latchkey.resource.introspection.TimedIntrospector;
import io.latchkey.resource.web.LatchkeyResourceServerConfigurer;
import io.latchkey.resource.web.ProtectedResourceMetadata;
import io.latchkey.resource.web.UnavailableFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.cache.Cache;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.DPoPProofReplayValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.RestClientOpaqueTokenIntrospector;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A resource service that checks Latchkey's personal access tokens (and any opaque token)
 * by introspection, from the dependency and Spring Boot's
 * {@code spring.security.oauth2.resourceserver.opaquetoken.*} properties alone: a cache
 * of the answers by token digest (never past {@code exp} nor a maximum age, inactive
 * answers briefly), kept honest by the auth server's events on Redis (from
 * {@code spring.data.redis.*}, when Spring Data Redis is on the classpath) or from its
 * Shared Signals transmitter, dropped whole when the subscription is (re)established, 503
 * with {@code Retry-After} instead of access when the auth server or Redis is away, and
 * Micrometer metrics of the cache. Every bean backs off when the application defines its
 * own.
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		before = OAuth2ResourceServerAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties({ LatchkeyResourceServerProperties.class, LatchkeyHttpProperties.class,
		OAuth2ResourceServerProperties.class })
@Import(RedisEventsConfiguration.class)
public final class LatchkeyResourceServerAutoConfiguration {

	private static final Log logger = LogFactory.getLog(LatchkeyResourceServerAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	IntrospectionCache latchkeyIntrospectionCache(LatchkeyResourceServerProperties properties,
			ObjectProvider<Clock> clock) {
		LatchkeyResourceServerProperties.Introspection settings = properties.introspection();
		return new IntrospectionCache(settings.cacheMaxSize(), settings.cacheMaxAge(), settings.inactiveTtl(),
				clock.getIfAvailable(Clock::systemUTC));
	}

	/**
	 * Introspection at the auth server over Apache HttpClient's pool of keep-alive
	 * connections (at most {@code max-connections}) with explicit timeouts, no redirects,
	 * no cookies, authenticated as the registered client, reporting the integration's
	 * client address (see {@link ClientAddress}), behind the cache.
	 */
	@Bean
	@ConditionalOnMissingBean
	OpaqueTokenIntrospector latchkeyOpaqueTokenIntrospector(OAuth2ResourceServerProperties resourceServer,
			LatchkeyResourceServerProperties properties, IntrospectionCache cache,
			ObjectProvider<MeterRegistry> meters) {
		OAuth2ResourceServerProperties.Opaquetoken opaque = resourceServer.getOpaquetoken();
		Assert.state(opaque.getIntrospectionUri() != null,
				"spring.security.oauth2.resourceserver.opaquetoken.introspection-uri is required");
		Assert.state(opaque.getClientId() != null && opaque.getClientSecret() != null,
				"spring.security.oauth2.resourceserver.opaquetoken.client-id and client-secret are required");
		LatchkeyResourceServerProperties.Introspection settings = properties.introspection();
		ClientHttpRequestFactory requests = ClientHttpRequestFactoryBuilder.httpComponents()
			.withHttpClientCustomizer((client) -> client.disableCookieManagement().disableContentCompression())
			.withConnectionManagerCustomizer((pool) -> pool.setMaxConnPerRoute(settings.maxConnections())
				.setMaxConnTotal(settings.maxConnections()))
			.withDefaultRequestConfigCustomizer(
					(request) -> request.setConnectionRequestTimeout(Timeout.of(settings.connectTimeout())))
			.build(HttpClientSettings.defaults()
				.withTimeouts(settings.connectTimeout(), settings.readTimeout())
				.withRedirects(HttpRedirects.DONT_FOLLOW));
		RestClient client = RestClient.builder()
			.requestFactory(requests)
			.requestInterceptor(new ClientAddress())
			.defaultHeaders((headers) -> headers.setBasicAuth(opaque.getClientId(), opaque.getClientSecret()))
			.build();
		OpaqueTokenIntrospector authServer = settings.signedAnswers()
				? new SignedAnswerIntrospector(client, opaque.getIntrospectionUri(),
						signedAnswers(opaque, settings.jwkSetUri(), authorizationServer(properties, opaque)))
				: new RestClientOpaqueTokenIntrospector(opaque.getIntrospectionUri(), client);
		MeterRegistry registry = meters.getIfAvailable();
		if (registry != null) {
			authServer = new TimedIntrospector(authServer, registry);
		}
		OpaqueTokenIntrospector meantForUs = new AudienceCheckingIntrospector(authServer, opaque.getClientId());
		return properties.introspection().cacheEnabled() ? new CachingOpaqueTokenIntrospector(meantForUs, cache)
				: meantForUs;
	}

	/**
	 * Verifies signed introspection answers (RFC 9701): signed by the auth server's keys,
	 * {@code typ} {@code token-introspection+jwt}, for this client, issued by the auth
	 * server.
	 */
	private static JwtDecoder signedAnswers(OAuth2ResourceServerProperties.Opaquetoken opaque, @Nullable URI jwkSetUri,
			URI issuer) {
		String keys = (jwkSetUri != null) ? jwkSetUri.toString()
				: UriComponentsBuilder.fromUriString(opaque.getIntrospectionUri())
					.replacePath("/oauth2/jwks")
					.build()
					.toUriString();
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(keys).validateType(false).build();
		List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
		checks.add(new JwtTypeValidator("token-introspection+jwt"));
		checks.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
				(audience) -> audience != null && audience.contains(opaque.getClientId())));
		checks.add(new JwtIssuerValidator(issuer.toString()));
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(checks));
		return decoder;
	}

	/**
	 * The DPoP proofs this service has seen, in memory when there is no Redis (see
	 * {@link RedisEventsConfiguration}).
	 */
	@Bean(LatchkeyResourceServerConfigurer.PROOF_REPLAYS)
	@ConditionalOnMissingBean(name = LatchkeyResourceServerConfigurer.PROOF_REPLAYS)
	Cache latchkeyProofReplays() {
		return new DPoPProofReplayValidator.InMemoryCache();
	}

	@Bean
	@ConditionalOnMissingBean
	ProtectedResourceMetadata latchkeyProtectedResourceMetadata(LatchkeyResourceServerProperties properties,
			OAuth2ResourceServerProperties resourceServer, ListableBeanFactory beans) {
		LatchkeyResourceServerProperties.Metadata metadata = properties.metadata();
		return new ProtectedResourceMetadata(metadata.resource(), metadata.name(),
				authorizationServer(properties, resourceServer.getOpaquetoken()), metadata.scopes(), beans);
	}

	/**
	 * The issuer of the tokens this service takes:
	 * {@code latchkey.resource.metadata.authorization-server}, else the introspection
	 * endpoint's origin (Spring Authorization Server's issuer unless it is configured
	 * otherwise).
	 */
	private static URI authorizationServer(LatchkeyResourceServerProperties properties,
			OAuth2ResourceServerProperties.Opaquetoken opaque) {
		if (properties.metadata().authorizationServer() != null) {
			return properties.metadata().authorizationServer();
		}
		String introspection = opaque.getIntrospectionUri();
		Assert.state(introspection != null,
				"spring.security.oauth2.resourceserver.opaquetoken.introspection-uri is required");
		return UriComponentsBuilder.fromUriString(introspection).replacePath(null).replaceQuery(null).build().toUri();
	}

	@Bean
	@ConditionalOnMissingBean
	LatchkeyEventCodec latchkeyEventCodec() {
		return new LatchkeyEventCodec();
	}

	/**
	 * The auth server's events from its Shared Signals transmitter, with
	 * {@code latchkey.resource.events.source=ssf}, polled or pushed
	 * ({@code latchkey.resource.events.delivery}; the push endpoint is
	 * {@link LatchkeyResourceServerSharedSignalsSecurityAutoConfiguration}'s): this
	 * service's client credentials get its access token, and no Redis is needed.
	 */
	@Bean
	@ConditionalOnProperty(prefix = "latchkey.resource.events", name = "source", havingValue = "ssf")
	@ConditionalOnMissingBean
	SharedSignalsReceiver latchkeySharedSignalsReceiver(IntrospectionCache cache,
			LatchkeyResourceServerProperties properties, OAuth2ResourceServerProperties resourceServer,
			ObjectProvider<Clock> clock) {
		OAuth2ResourceServerProperties.Opaquetoken opaque = resourceServer.getOpaquetoken();
		Assert.state(opaque.getClientId() != null && opaque.getClientSecret() != null,
				"spring.security.oauth2.resourceserver.opaquetoken.client-id and client-secret are required");
		LatchkeyResourceServerProperties.Events events = properties.events();
		URI transmitter = (events.transmitter() != null) ? events.transmitter()
				: authorizationServer(properties, opaque);
		SharedSignalsReceiver receiver = new SharedSignalsReceiver(cache, transmitter, opaque.getClientId(),
				opaque.getClientSecret(), events.pollEvery(), events.maxAge());
		receiver.setClock(clock.getIfAvailable(Clock::systemUTC));
		if (events.delivery() == LatchkeyResourceServerProperties.Events.Delivery.PUSH) {
			Assert.state(events.pushUrl() != null,
					"latchkey.resource.events.push-url is required with latchkey.resource.events.delivery=push: "
							+ "the URL at which the auth server reaches this service's "
							+ "latchkey.resource.events.push-path (" + events.pushPath() + ")");
			receiver.setPushDelivery(events.pushUrl());
		}
		return receiver;
	}

	/**
	 * The cache's hits and misses as {@code cache.gets{cache=introspection}}
	 * (Micrometer's Caffeine meters).
	 */
	@Bean
	@ConditionalOnMissingBean(name = "latchkeyIntrospectionCacheMetrics")
	MeterBinder latchkeyIntrospectionCacheMetrics(IntrospectionCache cache) {
		return (registry) -> CaffeineCacheMetrics.monitor(registry, cache.caffeine(), "introspection");
	}

	/**
	 * The client's address, first of all: the peer, or behind a trusted proxy
	 * ({@code latchkey.http.trusted-proxies}) the client it forwards for. It is what
	 * allowlists are checked against and what introspection reports as
	 * {@code latchkey_client_ip}. (An application that is its own authorization server
	 * too has the other library's.)
	 */
	@Bean
	@ConditionalOnMissingBean(name = "latchkeyClientAddressFilter")
	FilterRegistrationBean<ClientAddressFilter> latchkeyResourceClientAddressFilter(LatchkeyHttpProperties http,
			Environment environment) {
		TrustedProxies proxies;
		try {
			proxies = TrustedProxies.of(http.trustedProxies());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("latchkey.http.trusted-proxies: " + ex.getMessage(), ex);
		}
		String strategy = environment.getProperty("server.forward-headers-strategy", "none");
		if (!"none".equalsIgnoreCase(strategy)) {
			logger.warn("server.forward-headers-strategy=" + strategy + " would let clients choose their address; "
					+ "Latchkey reads client addresses from latchkey.http.trusted-proxies only");
		}
		FilterRegistrationBean<ClientAddressFilter> registration = new FilterRegistrationBean<>(
				new ClientAddressFilter(proxies));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * Fail closed: the auth server or Redis away gives 503 with {@code Retry-After},
	 * never access, never a 500.
	 */
	@Bean
	FilterRegistrationBean<UnavailableFilter> latchkeyUnavailableFilter(LatchkeyResourceServerProperties properties,
			ObjectProvider<MeterRegistry> meters) {
		UnavailableFilter unavailable = new UnavailableFilter(properties.introspection().retryAfterSeconds());
		meters.ifAvailable(unavailable::setMeterRegistry);
		FilterRegistrationBean<UnavailableFilter> registration = new FilterRegistrationBean<>(unavailable);
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

	/**
	 * Events from Redis (the default) without Spring Data Redis on the classpath: the
	 * service would hear no revocation at all, so it does not start (say, after an
	 * upgrade that no longer brings the starter in).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.data.redis.connection.RedisConnectionFactory")
	@ConditionalOnProperty(prefix = "latchkey.resource.events", name = "source", havingValue = "redis",
			matchIfMissing = true)
	static class EventsWithoutRedis {

		EventsWithoutRedis() {
			throw new IllegalStateException("latchkey.resource.events.source is redis (the default), but Spring Data "
					+ "Redis is not on the classpath, so no revocation would reach this service: add "
					+ "spring-boot-starter-data-redis, or set latchkey.resource.events.source=ssf");
		}

	}

}
