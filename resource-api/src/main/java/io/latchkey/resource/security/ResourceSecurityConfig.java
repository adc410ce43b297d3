package io.latchkey.resource.security;

import io.latchkey.resource.ResourceApiProperties;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Every API call needs a bearer token, checked by introspection at the auth server (RFC 6750
 * errors: a bare {@code WWW-Authenticate: Bearer} without a token, {@code invalid_token} for a
 * bad one, {@code insufficient_scope} for a missing right). Tokens are read from the
 * {@code Authorization} header only, never from the query string or a form body. Controllers
 * say which {@code SCOPE_*} each method needs. Health and info are public; other actuator
 * endpoints (metrics) only on a separate management port ({@code management.server.port}), which
 * belongs on an internal interface.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class ResourceSecurityConfig {

	@Bean
	SecurityFilterChain resourceSecurityFilterChain(HttpSecurity http, Environment environment) {
		int managementPort = environment.getProperty("management.server.port", Integer.class, -1);
		RequestMatcher onManagementPort = (request) -> managementPort > 0 && request.getLocalPort() == managementPort;
		http.authorizeHttpRequests((authorize) -> authorize
			.requestMatchers(EndpointRequest.to("health", "info"))
			.permitAll()
			.requestMatchers(new AndRequestMatcher(EndpointRequest.toAnyEndpoint(), onManagementPort))
			.permitAll()
			.requestMatchers("/api/**", "/error")
			.authenticated()
			.anyRequest()
			.denyAll())
			.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults())
				.authenticationEntryPoint(new BareBearerEntryPoint()))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	FilterRegistrationBean<UnavailableFilter> unavailableFilter(ResourceApiProperties properties) {
		FilterRegistrationBean<UnavailableFilter> registration = new FilterRegistrationBean<>(
				new UnavailableFilter(properties.introspection().retryAfterSeconds()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
