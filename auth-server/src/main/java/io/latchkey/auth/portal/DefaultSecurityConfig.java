package io.latchkey.auth.portal;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

/**
 * Everything outside the OAuth endpoints and the API: docs and health are public, the
 * rest is closed.
 */
@Configuration(proxyBeanMethods = false)
class DefaultSecurityConfig {

	@Bean
	@Order(10)
	SecurityFilterChain defaultSecurityFilterChain(HttpSecurity http) {
		http.authorizeHttpRequests((authorize) -> authorize
			.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/error")
			.permitAll()
			.requestMatchers(EndpointRequest.to("health", "info"))
			.permitAll()
			.anyRequest()
			.denyAll())
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.NOT_FOUND)));
		return http.build();
	}

}
