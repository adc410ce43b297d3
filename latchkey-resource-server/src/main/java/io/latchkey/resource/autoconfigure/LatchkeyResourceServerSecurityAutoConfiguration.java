package io.latchkey.resource.autoconfigure;

import io.latchkey.resource.web.LatchkeyResourceServerConfigurer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.ClassUtils;

import static io.latchkey.resource.web.LatchkeyResourceServerConfigurer.latchkeyResourceServer;
import static org.springframework.security.config.Customizer.withDefaults;

/**
 * For a resource service with no security filter chain of its own: every request needs a
 * bearer token checked by introspection (RFC 6750 errors), read from the
 * {@code Authorization} header only; controllers say which {@code SCOPE_*} each method
 * needs ({@code @PreAuthorize("hasAuthority('SCOPE_projects.read')")}, method security is
 * on). Actuator health and info are public; other actuator endpoints (metrics) only on a
 * separate management port ({@code management.server.port}), which belongs on an internal
 * interface, never to a bearer token; {@code /actuator/prometheus} also to the scrape
 * user of {@code latchkey.metrics.*} (see
 * {@link LatchkeyResourceServerMetricsSecurityAutoConfiguration}). An application with
 * its own chain adds {@link LatchkeyResourceServerConfigurer} instead.
 */
@AutoConfiguration(after = LatchkeyResourceServerAutoConfiguration.class,
		before = { OAuth2ResourceServerAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class },
		beforeName = {
				"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
				"org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnMissingBean(SecurityFilterChain.class)
@EnableMethodSecurity
public final class LatchkeyResourceServerSecurityAutoConfiguration {

	private static final boolean ACTUATOR = ClassUtils.isPresent(
			"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
			LatchkeyResourceServerSecurityAutoConfiguration.class.getClassLoader());

	@Bean
	SecurityFilterChain latchkeyResourceServerSecurityFilterChain(HttpSecurity http, Environment environment) {
		int managementPort = environment.getProperty("management.server.port", Integer.class, -1);
		RequestMatcher onManagementPort = (request) -> managementPort > 0 && request.getLocalPort() == managementPort;
		http.authorizeHttpRequests((authorize) -> {
			if (ACTUATOR) {
				authorize.requestMatchers(EndpointRequest.to("health", "info"))
					.permitAll()
					.requestMatchers(new AndRequestMatcher(EndpointRequest.toAnyEndpoint(), onManagementPort))
					.permitAll()
					.requestMatchers(EndpointRequest.toAnyEndpoint())
					.denyAll();
			}
			authorize.anyRequest().authenticated();
		})
			.with(latchkeyResourceServer(), withDefaults())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

}
