package io.latchkey.auth.portal;

import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.security.LiveSessionFilter;
import io.latchkey.authorization.security.PasswordAuthenticationProvider;
import io.latchkey.authorization.throttle.ThrottledException;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * The web portal: form sign-in (CSRF on every form, a new session id at sign-in,
 * throttled like every password check), sign-out, sessions that follow the directory
 * live, and pages by right: the user and group administration needs {@code users.manage},
 * other users' tokens, all access tokens (the inventory) and the leaked-token page
 * {@code tokens.manage}; anyone else gets 403. Only same-origin scripts and styles may
 * run (the Copy button is the one script).
 */
@Configuration(proxyBeanMethods = false)
class PortalSecurityConfig {

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

	@Bean
	@Order(3)
	SecurityFilterChain portalSecurityFilterChain(HttpSecurity http, PasswordAuthenticationProvider passwords,
			LiveSessionFilter liveSessions) {
		http.securityMatcher("/", "/login", "/logout", "/account", "/account/**", "/admin/**", "/css/**", "/js/**")
			.authenticationManager(new ProviderManager(passwords))
			.authorizeHttpRequests((authorize) -> authorize.requestMatchers("/login", "/css/**", "/js/**")
				.permitAll()
				.requestMatchers("/admin/users/*/tokens", "/admin/users/*/tokens/**", "/admin/tokens/**")
				.hasAuthority(RightsCatalog.TOKENS_MANAGE)
				.requestMatchers("/admin/audit", "/admin/users/*/activity")
				.hasAuthority(RightsCatalog.AUDIT_READ)
				.requestMatchers("/admin/**")
				.hasAuthority(RightsCatalog.USERS_MANAGE)
				.anyRequest()
				.authenticated())
			.addFilterAfter(liveSessions, SecurityContextHolderFilter.class)
			.formLogin((form) -> form.loginPage("/login")
				.defaultSuccessUrl("/account/tokens")
				.failureHandler(signInFailure()))
			.logout((logout) -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?signedOut"))
			.sessionManagement((sessions) -> sessions.sessionFixation((fixation) -> fixation.changeSessionId()))
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
		return http.build();
	}

	/**
	 * Back to the sign-in page saying why, by a code the page turns into one of its fixed
	 * sentences (never text from the URL): throttled, the store unreachable (never "wrong
	 * password" during an outage), or wrong credentials.
	 */
	private static AuthenticationFailureHandler signInFailure() {
		return (request, response, exception) -> {
			String code = "";
			if (exception instanceof ThrottledException) {
				code = "=throttled";
			}
			else if (RecentSignIn.isStorageFailure(exception)) {
				code = "=unavailable";
			}
			response.sendRedirect(request.getContextPath() + "/login?error" + code);
		};
	}

}
