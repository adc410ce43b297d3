package io.latchkey.resource.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.Assert;

import static org.springframework.security.config.Customizer.withDefaults;

/**
 * {@code /actuator/prometheus} for the scrape user of {@code latchkey.metrics.*} only,
 * signing in with HTTP Basic (a raw password is hashed with bcrypt at start), once its
 * password is set; anyone else gets 401. Without a password this configuration stays away
 * and the application's own rules answer (Latchkey's reference servers refuse everyone).
 *
 * @since 0.1
 */
@AutoConfiguration(after = LatchkeyResourceServerSecurityAutoConfiguration.class,
		before = ServletWebSecurityAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnProperty(prefix = "latchkey.metrics", name = "scrape-password")
@EnableConfigurationProperties(LatchkeyMetricsProperties.class)
public final class LatchkeyResourceServerMetricsSecurityAutoConfiguration {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 10)
	SecurityFilterChain latchkeyMetricsSecurityFilterChain(HttpSecurity http, LatchkeyMetricsProperties metrics) {
		String password = metrics.scrapePassword();
		Assert.state(password != null && !password.isBlank(), "latchkey.metrics.scrape-password is blank");
		PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
		String stored = password.startsWith("{") ? password : encoder.encode(password);
		DaoAuthenticationProvider scraper = new DaoAuthenticationProvider(new InMemoryUserDetailsManager(
				User.withUsername(metrics.scrapeUsername()).password(stored).authorities("METRICS").build()));
		scraper.setPasswordEncoder(encoder);
		http.securityMatcher(EndpointRequest.to("prometheus"))
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().hasAuthority("METRICS"))
			.httpBasic(withDefaults())
			.authenticationManager(new ProviderManager(scraper))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

}
