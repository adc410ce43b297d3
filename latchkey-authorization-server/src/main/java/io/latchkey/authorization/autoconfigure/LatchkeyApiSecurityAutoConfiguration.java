package io.latchkey.authorization.autoconfigure;

import java.time.Clock;
import java.util.Arrays;
import java.util.function.Supplier;

import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.leak.CredentialRevocationController;
import io.latchkey.authorization.leak.GitHubSecretScanningController;
import io.latchkey.authorization.security.LiveSessionFilter;
import io.latchkey.authorization.security.PasswordAuthenticationProvider;
import io.latchkey.authorization.throttle.LoginThrottle;
import io.latchkey.authorization.token.TokenVerifier;
import io.latchkey.authorization.web.ApiAccessDeniedHandler;
import io.latchkey.authorization.web.ApiAuthenticationEntryPoint;
import io.latchkey.authorization.web.LocalTokenIntrospector;
import io.latchkey.dpop.DPoP;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.cache.Cache;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
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
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.authentication.DPoPAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call the management API ({@code /api/**}): a password-authenticated user (HTTP
 * Basic or a session, which follows the directory live) or a personal access token, each
 * with the rights of its user. Generating a token needs Spring Security 7's password
 * factor ({@code FACTOR_PASSWORD}, set by Basic and form sign-in, never by a bearer
 * token): a stolen token cannot mint more. A token narrowed to scopes reaches
 * {@code /api/me/**} only with the {@code tokens.self} scope. The services check the
 * finer rules again, whatever the door. Only tokens meant for the management API
 * ({@code latchkey-api} in their audience) are accepted, except by
 * {@code POST /api/tokens/self/rotate}, where any token may rotate itself. A token bound
 * to a key needs {@code Authorization: DPoP} with a proof of it (replays refused across
 * instances, through Redis). Leak reports ({@code POST /api/credentials/revoke},
 * {@code POST /api/secret-scanning/github}) need neither a sign-in nor a CSRF token. The
 * chain has its own order and matcher, so it sits beside the application's chains.
 */
@AutoConfiguration(after = LatchkeyDirectoryAutoConfiguration.class,
		before = { OAuth2AuthorizationServerAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class,
				ServletWebSecurityAutoConfiguration.class },
		beforeName = {
				"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
				"org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration" })
@ConditionalOnBean(TokenVerifier.class)
public final class LatchkeyApiSecurityAutoConfiguration {

	/**
	 * The order of the management API's chain: before any application chain that matches
	 * everything.
	 */
	public static final int API_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private static final String SELF_ROTATION = "/api/tokens/self/rotate";

	/**
	 * Leak reports, open to anyone without a session or CSRF token: the public report
	 * (scripts) and GitHub's secret scanning (its own signature).
	 */
	private static final String[] LEAK_REPORTS = { CredentialRevocationController.PATH,
			GitHubSecretScanningController.PATH };

	private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

	/**
	 * Every password check, throttled: against the application's
	 * {@code UserDetailsService}, or Latchkey's directory.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(UserDetailsService.class)
	PasswordAuthenticationProvider latchkeyPasswordAuthenticationProvider(UserDetailsService users,
			PasswordEncoder passwordEncoder, LoginThrottle throttle, AuditLog audit, ObjectProvider<Clock> clock) {
		return new PasswordAuthenticationProvider(users, passwordEncoder, throttle, audit, Clocks.of(clock));
	}

	@Bean(name = "latchkeyApiSecurityFilterChain")
	@Order(API_ORDER)
	@ConditionalOnMissingBean(name = "latchkeyApiSecurityFilterChain")
	SecurityFilterChain latchkeyApiSecurityFilterChain(HttpSecurity http, TokenVerifier verifier,
			ObjectProvider<PasswordAuthenticationProvider> passwords, LiveSessionFilter liveSessions,
			@Qualifier(OAuthEndpointsConfiguration.PROOF_REPLAYS) Cache proofReplays) {
		AuthorizationManager<RequestAuthorizationContext> password = AuthorityAuthorizationManager
			.hasAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY);
		ApiAuthenticationEntryPoint entryPoint = new ApiAuthenticationEntryPoint();
		ApiAccessDeniedHandler accessDenied = new ApiAccessDeniedHandler();
		PasswordAuthenticationProvider passwordProvider = passwords.getIfAvailable();
		AuthenticationManager tokens = new ProviderManager(
				new OpaqueTokenAuthenticationProvider(new LocalTokenIntrospector(verifier,
						PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, SELF_ROTATION))));
		DPoPAuthenticationProvider proofs = DPoP.proofProvider(tokens, proofReplays);
		http.securityMatcher("/api/**")
			.authorizeHttpRequests((authorize) -> authorize.requestMatchers(HttpMethod.POST, LEAK_REPORTS)
				.permitAll()
				.requestMatchers(HttpMethod.POST, "/api/me/tokens", "/api/me/tokens/*/rotate", "/api/me/token-requests",
						"/api/me/token-requests/*/claim")
				.access(password)
				.requestMatchers(HttpMethod.POST, "/api/users/*/tokens", "/api/users/*/tokens/*/rotate")
				.access(AuthorizationManagers.allOf(password,
						AuthorityAuthorizationManager.hasAuthority(RightsCatalog.TOKENS_MANAGE)))
				.requestMatchers(HttpMethod.POST, SELF_ROTATION)
				.access(LatchkeyApiSecurityAutoConfiguration::selfRotation)
				.requestMatchers(HttpMethod.GET, "/api/audit")
				.hasAuthority(RightsCatalog.AUDIT_READ)
				.requestMatchers("/api/me", "/api/me/**")
				.access(LatchkeyApiSecurityAutoConfiguration::selfService)
				.requestMatchers("/api/users/*/tokens", "/api/users/*/tokens/**", "/api/tokens/**",
						"/api/token-requests", "/api/token-requests/**")
				.hasAuthority(RightsCatalog.TOKENS_MANAGE)
				.requestMatchers("/api/users", "/api/users/**", "/api/groups", "/api/groups/**", "/api/rights")
				.hasAuthority(RightsCatalog.USERS_MANAGE)
				.anyRequest()
				.denyAll())
			.addFilterAfter(liveSessions, SecurityContextHolderFilter.class)
			.oauth2ResourceServer((resourceServer) -> {
				resourceServer.opaqueToken((opaque) -> opaque.authenticationManager(DPoP.bearerOnly(tokens)))
					.authenticationEntryPoint(entryPoint)
					.accessDeniedHandler(accessDenied);
				DPoP.configure(resourceServer, proofs, null);
			})
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDenied))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.NEVER))
			.csrf((csrf) -> csrf.requireCsrfProtectionMatcher(sessionCookieWrites()));
		if (passwordProvider != null) {
			http.authenticationManager(new ProviderManager(passwordProvider, proofs))
				.httpBasic((basic) -> basic.authenticationEntryPoint(entryPoint));
		}
		return http.build();
	}

	/**
	 * An authentication manager of the throttled password check alone: no parent to fall
	 * back on.
	 */
	static AuthenticationManager passwordManager(PasswordAuthenticationProvider passwords) {
		return new ProviderManager(passwords);
	}

	/**
	 * {@code /api/me/**}: anyone signed in with a password; a token only if it is not
	 * narrowed or its scopes include {@code tokens.self} (GitLab's model: a narrowed
	 * token does only what its scopes name).
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
	 * {@code /api/tokens/self/rotate}: only a bearer token, rotating itself, and like the
	 * rest of self-service only if it is not narrowed or its scopes include
	 * {@code tokens.self}.
	 */
	private static AuthorizationDecision selfRotation(Supplier<? extends @Nullable Authentication> authentication,
			RequestAuthorizationContext context) {
		return new AuthorizationDecision(authentication.get() instanceof BearerTokenAuthentication
				&& selfService(authentication, context).isGranted());
	}

	/**
	 * CSRF applies to state-changing calls that rely on the session cookie; a call that
	 * carries its own credentials in the {@code Authorization} header cannot be forged by
	 * another site, and leak reports rely on no credentials at all.
	 */
	private static RequestMatcher sessionCookieWrites() {
		RequestMatcher leakReports = new OrRequestMatcher(Arrays.stream(LEAK_REPORTS)
			.map((path) -> (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, path))
			.toList());
		return (request) -> CsrfFilter.DEFAULT_CSRF_MATCHER.matches(request)
				&& request.getHeader(HttpHeaders.AUTHORIZATION) == null && !leakReports.matches(request);
	}

}
