package io.latchkey.auth.oauth;

import io.latchkey.auth.LatchkeyProperties;
import io.latchkey.auth.system.AuditLog;
import io.latchkey.auth.throttle.LoginThrottle;
import io.latchkey.auth.token.TokenService;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

/**
 * Spring Authorization Server's endpoints, with personal access tokens added to introspection
 * and revocation as providers (so client authentication, error format and discovery metadata
 * stay Spring's), verified client secrets cached (see {@link VerifiedSecretCache}) and
 * client-secret guessing throttled (see {@link ThrottledClientSecretAuthenticationProvider}).
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerSecurityConfig {

	@Bean
	@Order(1)
	SecurityFilterChain authorizationServerSecurityFilterChain(HttpSecurity http, TokenService tokens,
			LatchkeyProperties properties, PasswordEncoder passwordEncoder, RegisteredClientRepository registeredClients,
			LoginThrottle throttle, AuditLog audit) {
		IntrospectingClients clients = new IntrospectingClients(properties.introspection().allowedClients());
		VerifiedSecretCache secrets = new VerifiedSecretCache(passwordEncoder,
				properties.introspection().clientSecretCacheTtl());
		OAuthErrorResponses errors = new OAuthErrorResponses();
		http.oauth2AuthorizationServer((server) -> {
			http.securityMatcher(server.getEndpointsMatcher());
			server.clientAuthentication((clientAuthentication) -> clientAuthentication
				.authenticationProviders((providers) -> providers.replaceAll((provider) -> {
					if (provider instanceof ClientSecretAuthenticationProvider clientSecret) {
						clientSecret.setPasswordEncoder(secrets);
						return new ThrottledClientSecretAuthenticationProvider(clientSecret, registeredClients, secrets,
								throttle, audit);
					}
					return provider;
				}))
				.errorResponseHandler(errors));
			server.tokenIntrospectionEndpoint((introspection) -> introspection
				.authenticationProviders((providers) -> providers.replaceAll(
						(provider) -> (provider instanceof OAuth2TokenIntrospectionAuthenticationProvider stock)
								? new PatIntrospectionAuthenticationProvider(tokens, clients, stock) : provider))
				.errorResponseHandler(errors));
			server.tokenRevocationEndpoint((revocation) -> revocation
				.authenticationProviders((providers) -> providers.replaceAll(
						(provider) -> (provider instanceof OAuth2TokenRevocationAuthenticationProvider stock)
								? new PatRevocationAuthenticationProvider(tokens, clients, stock) : provider))
				.errorResponseHandler(errors));
		});
		http.authorizeHttpRequests((authorize) -> authorize.anyRequest().authenticated());
		http.exceptionHandling(
				(exceptions) -> exceptions.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)));
		return http.build();
	}

}
