package io.latchkey.auth.portal;

import io.latchkey.auth.user.RightsCatalog;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The web portal: form sign-in (CSRF on every form, a new session id at sign-in), sign-out,
 * and pages by right: the user and group administration needs {@code users.manage}, other
 * users' tokens and the leaked-token page {@code tokens.manage}; anyone else gets 403. Only
 * same-origin scripts and styles may run (the Copy button is the one script).
 */
@Configuration(proxyBeanMethods = false)
class PortalSecurityConfig {

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

	@Bean
	@Order(3)
	SecurityFilterChain portalSecurityFilterChain(HttpSecurity http) {
		http.securityMatcher("/", "/login", "/logout", "/account", "/account/**", "/admin/**", "/css/**", "/js/**")
			.authorizeHttpRequests((authorize) -> authorize.requestMatchers("/login", "/css/**", "/js/**")
				.permitAll()
				.requestMatchers("/admin/users/*/tokens", "/admin/users/*/tokens/**", "/admin/tokens/**")
				.hasAuthority(RightsCatalog.TOKENS_MANAGE)
				.requestMatchers("/admin/**")
				.hasAuthority(RightsCatalog.USERS_MANAGE)
				.anyRequest()
				.authenticated())
			.formLogin((form) -> form.loginPage("/login").defaultSuccessUrl("/account/tokens"))
			.logout((logout) -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?signedOut"))
			.sessionManagement((sessions) -> sessions.sessionFixation((fixation) -> fixation.changeSessionId()))
			.headers((headers) -> headers
				.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(
						org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
		return http.build();
	}

}
