package io.latchkey.auth.security;

import io.latchkey.auth.LatchkeyProperties;
import io.latchkey.auth.token.TokenService;
import io.latchkey.auth.user.RightsCatalog;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call the management API ({@code /api/**}): a password-authenticated user (HTTP Basic
 * or a portal session) or a personal access token, each with the rights of its user.
 * Generating a token needs Spring Security 7's password factor ({@code FACTOR_PASSWORD}, set by
 * Basic and form sign-in, never by a bearer token): a stolen token cannot mint more.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfig {

	@Bean
	@Order(2)
	SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, TokenService tokens) {
		AuthorizationManager<RequestAuthorizationContext> password = AuthorityAuthorizationManager
			.hasAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY);
		ApiAuthenticationEntryPoint entryPoint = new ApiAuthenticationEntryPoint();
		ApiAccessDeniedHandler accessDenied = new ApiAccessDeniedHandler();
		http.securityMatcher("/api/**")
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers(HttpMethod.POST, "/api/me/tokens").access(password)
				.requestMatchers(HttpMethod.POST, "/api/users/*/tokens")
				.access(AuthorizationManagers.allOf(password,
						AuthorityAuthorizationManager.hasAuthority(RightsCatalog.TOKENS_MANAGE)))
				.requestMatchers("/api/me", "/api/me/**")
				.authenticated()
				.requestMatchers("/api/users/*/tokens", "/api/users/*/tokens/**", "/api/tokens/**")
				.hasAuthority(RightsCatalog.TOKENS_MANAGE)
				.requestMatchers("/api/users", "/api/users/**", "/api/groups", "/api/groups/**", "/api/rights")
				.hasAuthority(RightsCatalog.USERS_MANAGE)
				.anyRequest()
				.denyAll())
			.httpBasic((basic) -> basic.authenticationEntryPoint(entryPoint))
			.oauth2ResourceServer((resourceServer) -> resourceServer
				.opaqueToken((opaque) -> opaque.introspector(new LocalTokenIntrospector(tokens)))
				.authenticationEntryPoint(entryPoint)
				.accessDeniedHandler(accessDenied))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint)
				.accessDeniedHandler(accessDenied))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.NEVER))
			.csrf((csrf) -> csrf.requireCsrfProtectionMatcher(sessionCookieWrites()));
		return http.build();
	}

	/**
	 * CSRF applies to state-changing calls that rely on the session cookie; a call that carries
	 * its own credentials in the {@code Authorization} header cannot be forged by another site.
	 */
	private static RequestMatcher sessionCookieWrites() {
		return (request) -> CsrfFilter.DEFAULT_CSRF_MATCHER.matches(request)
				&& request.getHeader(HttpHeaders.AUTHORIZATION) == null;
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	FilterRegistrationBean<StorageOutageFilter> storageOutageFilter() {
		FilterRegistrationBean<StorageOutageFilter> registration = new FilterRegistrationBean<>(
				new StorageOutageFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	FilterRegistrationBean<TokenInUrlFilter> tokenInUrlFilter(LatchkeyProperties properties) {
		FilterRegistrationBean<TokenInUrlFilter> registration = new FilterRegistrationBean<>(
				new TokenInUrlFilter(properties.tokens().prefix()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

}
