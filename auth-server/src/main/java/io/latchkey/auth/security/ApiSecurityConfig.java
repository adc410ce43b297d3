package io.latchkey.auth.security;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

import io.latchkey.auth.LatchkeyProperties;
import io.latchkey.auth.system.AuditLog;
import io.latchkey.auth.throttle.LoginThrottle;
import io.latchkey.auth.token.TokenService;
import io.latchkey.auth.user.DirectoryStore;
import io.latchkey.auth.user.RightsCatalog;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Who may call the management API ({@code /api/**}): a password-authenticated user (HTTP Basic
 * or a portal session, which follows the directory live) or a personal access token, each with
 * the rights of its user. Generating a token needs Spring Security 7's password factor
 * ({@code FACTOR_PASSWORD}, set by Basic and form sign-in, never by a bearer token): a stolen
 * token cannot mint more. A token narrowed to scopes reaches {@code /api/me/**} only with the
 * {@code tokens.self} scope. The services check the finer rules again, whatever the door.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfig {

	private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

	@Bean
	@Order(2)
	SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, TokenService tokens,
			PasswordAuthenticationProvider passwords, LiveSessionFilter liveSessions) {
		AuthorizationManager<RequestAuthorizationContext> password = AuthorityAuthorizationManager
			.hasAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY);
		ApiAuthenticationEntryPoint entryPoint = new ApiAuthenticationEntryPoint();
		ApiAccessDeniedHandler accessDenied = new ApiAccessDeniedHandler();
		http.securityMatcher("/api/**")
			.authenticationManager(new ProviderManager(passwords))
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers(HttpMethod.POST, "/api/me/tokens").access(password)
				.requestMatchers(HttpMethod.POST, "/api/users/*/tokens")
				.access(AuthorizationManagers.allOf(password,
						AuthorityAuthorizationManager.hasAuthority(RightsCatalog.TOKENS_MANAGE)))
				.requestMatchers("/api/me", "/api/me/**")
				.access(ApiSecurityConfig::selfService)
				.requestMatchers("/api/users/*/tokens", "/api/users/*/tokens/**", "/api/tokens/**")
				.hasAuthority(RightsCatalog.TOKENS_MANAGE)
				.requestMatchers("/api/users", "/api/users/**", "/api/groups", "/api/groups/**", "/api/rights")
				.hasAuthority(RightsCatalog.USERS_MANAGE)
				.anyRequest()
				.denyAll())
			.addFilterAfter(liveSessions, SecurityContextHolderFilter.class)
			.httpBasic((basic) -> basic.authenticationEntryPoint(entryPoint))
			.oauth2ResourceServer((resourceServer) -> resourceServer
				.opaqueToken((opaque) -> opaque.authenticationManager(
						new ProviderManager(new OpaqueTokenAuthenticationProvider(new LocalTokenIntrospector(tokens)))))
				.authenticationEntryPoint(entryPoint)
				.accessDeniedHandler(accessDenied))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint)
				.accessDeniedHandler(accessDenied))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.NEVER))
			.csrf((csrf) -> csrf.requireCsrfProtectionMatcher(sessionCookieWrites()));
		return http.build();
	}

	/**
	 * {@code /api/me/**}: anyone signed in with a password; a token only if it is not narrowed
	 * or its scopes include {@code tokens.self} (GitLab's model: a narrowed token does only what
	 * its scopes name).
	 */
	private static AuthorizationDecision selfService(Supplier<? extends @Nullable Authentication> authentication,
			RequestAuthorizationContext context) {
		Authentication caller = authentication.get();
		if (!TRUST.isAuthenticated(caller)) {
			return new AuthorizationDecision(false);
		}
		if (caller instanceof BearerTokenAuthentication) {
			return new AuthorizationDecision(caller.getAuthorities()
				.stream()
				.anyMatch((authority) -> RightsCatalog.SELF_SCOPE.equals(authority.getAuthority())));
		}
		return new AuthorizationDecision(true);
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
	PasswordAuthenticationProvider passwordAuthenticationProvider(UserDetailsService users,
			PasswordEncoder passwordEncoder, LoginThrottle throttle, AuditLog audit, Clock clock) {
		return new PasswordAuthenticationProvider(users, passwordEncoder, throttle, audit, clock);
	}

	@Bean
	LiveSessionFilter liveSessionFilter(DirectoryStore directory, LatchkeyProperties properties, Clock clock) {
		return new LiveSessionFilter(directory, properties.portal().sessionMaxAge(), clock);
	}

	/** The filter runs inside the security chains only, never on its own. */
	@Bean
	FilterRegistrationBean<LiveSessionFilter> liveSessionFilterRegistration(LiveSessionFilter filter) {
		FilterRegistrationBean<LiveSessionFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setEnabled(false);
		return registration;
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

	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(LatchkeyProperties properties) {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(properties.http().maxBodySize().toBytes()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
		return registration;
	}

	@Bean
	WebMvcConfigurer actorArguments() {
		return new WebMvcConfigurer() {
			@Override
			public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
				resolvers.add(new Actors());
			}
		};
	}

}
