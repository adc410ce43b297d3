package io.latchkey.resource.autoconfigure;

import io.latchkey.resource.events.SharedSignalsPushFilter;
import io.latchkey.resource.events.SharedSignalsReceiver;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The Shared Signals push endpoint (RFC 8935) at
 * {@code latchkey.resource.events.push-path}, with
 * {@code latchkey.resource.events.delivery=push}: a security filter chain of its own,
 * ordered before the application's and matching only that path, so that the transmitter
 * reaches it without a bearer token and without CSRF, whatever the application's chain
 * requires. The endpoint authenticates the transmitter itself, by the secret
 * {@code Authorization} header the receiver gave its stream (as Spring Authorization
 * Server's endpoints are filters in a chain matching their paths); the rest of the
 * application is untouched.
 *
 * @since 0.1
 */
@AutoConfiguration(after = LatchkeyResourceServerSecurityAutoConfiguration.class,
		before = ServletWebSecurityAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "latchkey.resource.events", name = "delivery", havingValue = "push")
@ConditionalOnBean(SharedSignalsReceiver.class)
public final class LatchkeyResourceServerSharedSignalsSecurityAutoConfiguration {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 8)
	SecurityFilterChain latchkeySharedSignalsPushSecurityFilterChain(HttpSecurity http, SharedSignalsReceiver receiver,
			LatchkeyResourceServerProperties properties) throws Exception {
		http.securityMatcher(PathPatternRequestMatcher.withDefaults().matcher(properties.events().pushPath()))
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().permitAll())
			.addFilterBefore(new SharedSignalsPushFilter(receiver), AuthorizationFilter.class)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

}
