package io.latchkey.authorization.autoconfigure;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.latchkey.authorization.event.AuditTrail;
import io.latchkey.authorization.leak.GitHubSecretScanningController;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.security.Actors;
import io.latchkey.authorization.security.LiveSessionFilter;
import io.latchkey.authorization.security.OwnSession;
import io.latchkey.authorization.web.AuditController;
import io.latchkey.authorization.web.MeController;
import io.latchkey.authorization.web.ProblemAdvice;
import io.latchkey.authorization.web.RequestBodyLimitFilter;
import io.latchkey.authorization.web.StorageOutageFilter;
import io.latchkey.authorization.web.TokenController;
import io.latchkey.authorization.web.TokenRequestController;
import io.latchkey.authorization.web.TokenInUrlFilter;
import io.latchkey.core.TrustedProxies;
import io.latchkey.core.servlet.ClientAddressFilter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The management API's controllers and everything every request passes first: the
 * client's address, a storage outage as 503, no token in a URL, a bounded body, and
 * sessions that follow the directory live.
 */
@Configuration(proxyBeanMethods = false)
@Import({ TokenController.class, TokenRequestController.class, MeController.class, ProblemAdvice.class })
class WebConfiguration {

	private static final Log logger = LogFactory.getLog(WebConfiguration.class);

	/**
	 * {@code GET /api/audit}, where the audit log can be read back (Latchkey's own can).
	 */
	@Bean
	@ConditionalOnBean(AuditTrail.class)
	AuditController latchkeyAuditController(AuditTrail audit, JsonMapper json) {
		return new AuditController(audit, json);
	}

	/**
	 * Controllers take an {@code Actor} parameter: who is asking, with the rights of this
	 * request.
	 */
	@Bean
	WebMvcConfigurer latchkeyActorArguments() {
		return new WebMvcConfigurer() {
			@Override
			public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
				resolvers.add(new Actors());
			}
		};
	}

	@Bean
	@ConditionalOnMissingBean
	LiveSessionFilter latchkeyLiveSessionFilter(OwnerDirectory owners, LatchkeyProperties properties,
			ObjectProvider<Clock> clock) {
		return new LiveSessionFilter(owners, properties.portal().sessionMaxAge(), Clocks.of(clock));
	}

	/** The filter runs inside the security chains only, never on its own. */
	@Bean
	FilterRegistrationBean<LiveSessionFilter> latchkeyLiveSessionFilterRegistration(LiveSessionFilter filter) {
		FilterRegistrationBean<LiveSessionFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setEnabled(false);
		return registration;
	}

	@Bean
	@ConditionalOnMissingBean
	OwnSession latchkeyOwnSession(OwnerDirectory owners) {
		return new OwnSession(owners);
	}

	/**
	 * The client's address, first of all: the peer, or behind a trusted proxy the client
	 * it forwards for; every other filter, throttling and the audit trail see that one.
	 */
	@Bean
	FilterRegistrationBean<ClientAddressFilter> latchkeyClientAddressFilter(LatchkeyProperties properties,
			Environment environment) {
		TrustedProxies proxies = trustedProxies(properties.http().trustedProxies(), "latchkey.http.trusted-proxies");
		warnOfForwardedHeaderStrategies(environment);
		FilterRegistrationBean<ClientAddressFilter> registration = new FilterRegistrationBean<>(
				new ClientAddressFilter(proxies));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	FilterRegistrationBean<StorageOutageFilter> latchkeyStorageOutageFilter() {
		FilterRegistrationBean<StorageOutageFilter> registration = new FilterRegistrationBean<>(
				new StorageOutageFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

	@Bean
	FilterRegistrationBean<TokenInUrlFilter> latchkeyTokenInUrlFilter(LatchkeyProperties properties) {
		FilterRegistrationBean<TokenInUrlFilter> registration = new FilterRegistrationBean<>(
				new TokenInUrlFilter(properties.tokens().prefix()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
		return registration;
	}

	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> latchkeyRequestBodyLimitFilter(LatchkeyProperties properties,
			ObjectProvider<LatchkeySecretScanningProperties> secretScanning) {
		Map<String, Long> paths = new HashMap<>();
		secretScanning.ifAvailable((scanning) -> paths.put(GitHubSecretScanningController.PATH,
				Math.max(scanning.github().maxBodySize().toBytes(), properties.http().maxBodySize().toBytes())));
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(properties.http().maxBodySize().toBytes(), paths));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
		return registration;
	}

	/** The trusted proxies of {@code property}, or a start-up error naming it. */
	private static TrustedProxies trustedProxies(List<String> ranges, String property) {
		try {
			return TrustedProxies.of(ranges);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(property + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Spring Boot's forwarded-header strategies trust anyone's forwarded headers: say so.
	 */
	private static void warnOfForwardedHeaderStrategies(Environment environment) {
		String strategy = environment.getProperty("server.forward-headers-strategy", "none");
		if (!"none".equalsIgnoreCase(strategy)) {
			logger.warn("server.forward-headers-strategy=" + strategy + " trusts the forwarded headers of any client "
					+ "(framework) or of Tomcat's internal-proxies (native) for the remote address; Latchkey reads "
					+ "client addresses from latchkey.http.trusted-proxies only and hides Forwarded and "
					+ "X-Forwarded-For from the rest of the request");
		}
	}

}
