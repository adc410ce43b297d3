package io.latchkey.authorization.autoconfigure;

import java.util.Arrays;
import java.util.Set;

import io.latchkey.authorization.config.LatchkeyAuthorizationServerConfigurer;
import io.latchkey.authorization.security.LiveSessionFilter;
import io.latchkey.authorization.security.PasswordAuthenticationProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

import static org.springframework.security.config.Customizer.withDefaults;

/**
 * For an application with no security filter chain of its own: Spring Boot's stock
 * authorization-server chains, with personal access tokens. (Latchkey's management API
 * chain would otherwise make Spring Boot's stock chains step aside.) The authorization
 * server chain is Boot's, plus {@link LatchkeyAuthorizationServerConfigurer}; the default
 * chain signs users in with a form, throttled like every password check; both keep
 * sessions live (a disabled user's session no longer authorizes anything,
 * {@code /oauth2/authorize} included).
 */
@AutoConfiguration(
		after = { OAuth2AuthorizationServerAutoConfiguration.class, LatchkeyApiSecurityAutoConfiguration.class },
		before = ServletWebSecurityAutoConfiguration.class)
@Conditional(LatchkeyDefaultSecurityAutoConfiguration.NoApplicationSecurityFilterChain.class)
@ConditionalOnBean({ RegisteredClientRepository.class, AuthorizationServerSettings.class })
public final class LatchkeyDefaultSecurityAutoConfiguration {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityFilterChain latchkeyAuthorizationServerSecurityFilterChain(HttpSecurity http,
			LiveSessionFilter liveSessions) {
		http.addFilterAfter(liveSessions, SecurityContextHolderFilter.class);
		http.oauth2AuthorizationServer((authorizationServer) -> {
			http.securityMatcher(authorizationServer.getEndpointsMatcher());
			authorizationServer.oidc(withDefaults());
		});
		http.with(LatchkeyAuthorizationServerConfigurer.latchkey(), withDefaults());
		http.authorizeHttpRequests((authorize) -> authorize.anyRequest().authenticated());
		http.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(withDefaults()));
		MediaTypeRequestMatcher html = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
		html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
		http.exceptionHandling((exceptions) -> exceptions
			.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), html));
		return http.build();
	}

	@Bean
	@Order(SecurityFilterProperties.BASIC_AUTH_ORDER)
	SecurityFilterChain latchkeyDefaultSecurityFilterChain(HttpSecurity http,
			ObjectProvider<PasswordAuthenticationProvider> passwords, LiveSessionFilter liveSessions) {
		passwords.ifAvailable((provider) -> http
			.authenticationManager(LatchkeyApiSecurityAutoConfiguration.passwordManager(provider)));
		http.authorizeHttpRequests((authorize) -> authorize.requestMatchers("/actuator/health", "/actuator/health/**")
			.permitAll()
			// metrics and the rest: never for a signed-in user (the scrape user has a
			// chain of
			// its own)
			.requestMatchers("/actuator/**")
			.denyAll()
			.anyRequest()
			.authenticated()).addFilterAfter(liveSessions, SecurityContextHolderFilter.class).formLogin(withDefaults());
		return http.build();
	}

	/**
	 * True when every security filter chain defined so far is Latchkey's own (whose names
	 * start with "latchkey").
	 */
	static class NoApplicationSecurityFilterChain implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			if (context.getBeanFactory() == null) {
				return true;
			}
			return Arrays.stream(context.getBeanFactory().getBeanNamesForType(SecurityFilterChain.class, true, false))
				.allMatch((name) -> name.startsWith("latchkey"));
		}

	}

}
