package io.latchkey.auth.oauth;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

import static io.latchkey.authorization.config.LatchkeyAuthorizationServerConfigurer.latchkey;
import static org.springframework.security.config.Customizer.withDefaults;

/**
 * This deployment's own authorization-server chain (it has a portal, so Spring Boot's
 * stock chains do not apply): Spring Authorization Server's endpoints, plus the one line
 * that adds personal access tokens to introspection and revocation. Its clients come from
 * Spring Boot's {@code spring.security.oauth2.authorizationserver.client.*} properties.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerSecurityConfig {

	@Bean
	@Order(1)
	SecurityFilterChain authorizationServerSecurityFilterChain(HttpSecurity http) {
		http.oauth2AuthorizationServer((server) -> http.securityMatcher(server.getEndpointsMatcher()))
			.with(latchkey(), withDefaults())
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().authenticated())
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)));
		return http.build();
	}

}
