package io.latchkey.resource.introspection;

import java.time.Clock;

import io.latchkey.resource.ResourceApiProperties;
import io.lettuce.core.event.connection.ConnectedEvent;
import io.lettuce.core.event.connection.DisconnectedEvent;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.RestClientOpaqueTokenIntrospector;
import org.springframework.util.Assert;
import org.springframework.util.backoff.FixedBackOff;
import org.springframework.web.client.RestClient;

/**
 * Introspection at the auth server, configured by Boot's standard
 * {@code spring.security.oauth2.resourceserver.opaquetoken.*} properties, with explicit
 * timeouts, a cache in front (hit/miss metrics as {@code cache.gets{cache=introspection}}), and
 * the subscription to revocation events that keeps the cache honest.
 */
@Configuration(proxyBeanMethods = false)
class IntrospectionConfiguration {

	private static final Log logger = LogFactory.getLog(IntrospectionConfiguration.class);

	@Bean
	IntrospectionCache introspectionCache(ResourceApiProperties properties, Clock clock, MeterRegistry meters) {
		ResourceApiProperties.Introspection settings = properties.introspection();
		IntrospectionCache cache = new IntrospectionCache(settings.cacheMaxSize(), settings.cacheMaxAge(),
				settings.inactiveTtl(), clock);
		CaffeineCacheMetrics.monitor(meters, cache.caffeine(), "introspection");
		return cache;
	}

	@Bean
	OpaqueTokenIntrospector opaqueTokenIntrospector(OAuth2ResourceServerProperties resourceServer,
			ResourceApiProperties properties, IntrospectionCache cache) {
		OAuth2ResourceServerProperties.Opaquetoken opaque = resourceServer.getOpaquetoken();
		Assert.state(opaque.getIntrospectionUri() != null,
				"spring.security.oauth2.resourceserver.opaquetoken.introspection-uri is required");
		Assert.state(opaque.getClientId() != null && opaque.getClientSecret() != null,
				"spring.security.oauth2.resourceserver.opaquetoken.client-id and client-secret are required");
		java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
			.connectTimeout(properties.introspection().connectTimeout())
			.build();
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
		requests.setReadTimeout(properties.introspection().readTimeout());
		RestClient client = RestClient.builder()
			.requestFactory(requests)
			.defaultHeaders((headers) -> headers.setBasicAuth(opaque.getClientId(), opaque.getClientSecret()))
			.build();
		return new CachingOpaqueTokenIntrospector(
				new RestClientOpaqueTokenIntrospector(opaque.getIntrospectionUri(), client), cache);
	}

	@Bean
	RedisMessageListenerContainer revocationEvents(RedisConnectionFactory connections, IntrospectionCache cache,
			JsonMapper json, ResourceApiProperties properties, ClientResources clientResources) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connections);
		container.setRecoveryBackoff(new FixedBackOff(1000, FixedBackOff.UNLIMITED_ATTEMPTS));
		container.addMessageListener(new RevocationListener(cache, json), new ChannelTopic(properties.eventsChannel()));
		clientResources.eventBus().get().subscribe((event) -> {
			if (event instanceof DisconnectedEvent) {
				logger.warn("Lost the Redis connection: revocation events may be missed until it is back; "
						+ "cached introspection answers stay at most " + properties.introspection().cacheMaxAge());
			}
			else if (event instanceof ConnectedEvent) {
				logger.info("Redis connection (re)established");
			}
		});
		return container;
	}

}
