package io.latchkey.authorization.autoconfigure;

import io.latchkey.authorization.support.RemoteAddress;
import io.latchkey.authorization.throttle.LoginThrottle;
import io.latchkey.authorization.throttle.ThrottledException;
import io.latchkey.authorization.web.ApiAuthenticationEntryPoint;
import io.latchkey.core.Secrets;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.util.Assert;

/**
 * {@code /actuator/prometheus} for the scrape user of {@code latchkey.metrics.*} only,
 * signing in with HTTP Basic (name and password compared in constant time; a configured
 * secret, not a person's password, so no slow hash that a flood of guesses could turn
 * against the CPU), its guesses throttled per address like every password check, once its
 * password is set; anyone else gets 401. Without a password this configuration stays away
 * and the application's own rules answer (Latchkey's reference servers refuse everyone).
 *
 * @since 0.1
 */
@AutoConfiguration(after = LatchkeyApiSecurityAutoConfiguration.class,
		before = LatchkeyDefaultSecurityAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnProperty(prefix = "latchkey.metrics", name = "scrape-password")
@EnableConfigurationProperties(LatchkeyMetricsProperties.class)
public final class LatchkeyMetricsSecurityAutoConfiguration {

	private static final String AUTHORITY = "METRICS";

	@Bean
	@Order(LatchkeyApiSecurityAutoConfiguration.API_ORDER - 1)
	SecurityFilterChain latchkeyMetricsSecurityFilterChain(HttpSecurity http, LatchkeyMetricsProperties metrics,
			ObjectProvider<LoginThrottle> throttle) {
		String password = metrics.scrapePassword();
		Assert.state(password != null && !password.isBlank(), "latchkey.metrics.scrape-password is blank");
		String username = metrics.scrapeUsername();
		AuthenticationManager scraper = (authentication) -> {
			LoginThrottle.Key[] from = { LoginThrottle.address(RemoteAddress.current()) };
			LoginThrottle guesses = throttle.getIfAvailable();
			if (guesses != null) {
				guesses.check(from);
			}
			if (!isScrapeUser(authentication, username, password)) {
				if (guesses != null) {
					guesses.failed(from);
				}
				throw new BadCredentialsException("Bad credentials");
			}
			return UsernamePasswordAuthenticationToken.authenticated(username, null,
					AuthorityUtils.createAuthorityList(AUTHORITY));
		};
		http.securityMatcher(EndpointRequest.to("prometheus"))
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().hasAuthority(AUTHORITY))
			.httpBasic((basic) -> basic.authenticationEntryPoint(challenge()))
			.authenticationManager(scraper)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	/**
	 * 401 with a {@code Basic} challenge; 429 with {@code Retry-After} (the management
	 * API's answer) while the address's guesses are throttled.
	 */
	private static AuthenticationEntryPoint challenge() {
		BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
		basic.setRealmName("Latchkey metrics");
		ApiAuthenticationEntryPoint throttled = new ApiAuthenticationEntryPoint();
		return (request, response, failure) -> {
			if (failure instanceof ThrottledException) {
				throttled.commence(request, response, failure);
			}
			else {
				basic.commence(request, response, failure);
			}
		};
	}

	/** Both the name and the password match, compared in constant time. */
	private static boolean isScrapeUser(Authentication authentication, String username, String password) {
		boolean name = Secrets.same(String.valueOf(authentication.getPrincipal()), username);
		boolean secret = Secrets.same(String.valueOf(authentication.getCredentials()), password);
		return name & secret;
	}

}
