package io.latchkey.authorization.autoconfigure;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.oauth.PatTokenExchangeAuthenticationProvider;
import io.latchkey.authorization.redis.RedisKeys;
import io.latchkey.authorization.redis.RedisSignalStreams;
import io.latchkey.authorization.signals.LostEvents;
import io.latchkey.authorization.signals.PushUrls;
import io.latchkey.authorization.signals.SecurityEventTokens;
import io.latchkey.authorization.signals.SignalPolls;
import io.latchkey.authorization.signals.SignalPushes;
import io.latchkey.authorization.signals.SignalStreamService;
import io.latchkey.authorization.signals.SignalStreams;
import io.latchkey.authorization.signals.SignalTransmitter;
import io.latchkey.authorization.signals.SignalsController;
import io.latchkey.authorization.web.ReceiverAccessHandlers;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * The OpenID Shared Signals transmitter, once {@code latchkey.signals.allowed-clients}
 * names a client: its streams in Redis, the events signed with the server's keys, poll
 * and push delivery, and its endpoints. Receivers authenticate with an access token this
 * server issued by {@code client_credentials} (a JWT signed with the same keys, verified
 * here without a call): its client must be allowed and its scopes must include
 * {@code ssf.stream}. A JWT exchanged for a personal access token is never one (it names
 * a user, not a client).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LatchkeySignalsProperties.class)
@Conditional(SignalsConfiguration.OnReceivers.class)
class SignalsConfiguration {

	/** The order of the transmitter's chain: before the management API's. */
	static final int SIGNALS_ORDER = LatchkeyApiSecurityAutoConfiguration.API_ORDER - 1;

	@Bean
	@ConditionalOnMissingBean
	SignalStreams latchkeySignalStreams(StringRedisTemplate redis, RedisKeys keys,
			LatchkeySignalsProperties properties) {
		for (String client : properties.allowedClients()) {
			if (client.contains("{") || client.contains("}")) {
				throw new IllegalStateException(
						"latchkey.signals.allowed-clients: '" + client + "' holds a brace, which Redis keys cannot");
			}
		}
		return new RedisSignalStreams(redis, keys);
	}

	@Bean
	@ConditionalOnMissingBean
	SecurityEventTokens latchkeySecurityEventTokens(JWKSource<SecurityContext> signingKeys,
			ObjectProvider<Clock> clock) {
		SecurityEventTokens tokens = new SecurityEventTokens(new NimbusJwtEncoder(signingKeys));
		tokens.setClock(Clocks.of(clock));
		return tokens;
	}

	@Bean
	@ConditionalOnMissingBean
	LostEvents latchkeyLostEvents(SignalStreams streams, SecurityEventTokens tokens) {
		return new LostEvents(streams, tokens);
	}

	@Bean
	@ConditionalOnMissingBean
	SignalTransmitter latchkeySignalTransmitter(SignalStreams streams, SecurityEventTokens tokens, AccessPolicy access,
			LatchkeySignalsProperties properties, ObjectProvider<SignalPushes> pushes) {
		SignalTransmitter transmitter = new SignalTransmitter(streams, tokens, access, properties.allowedClients(),
				properties.maxEvents());
		pushes.ifAvailable((pusher) -> transmitter.setOnKept(pusher::wake));
		return transmitter;
	}

	@Bean
	@ConditionalOnMissingBean
	SignalPushes latchkeySignalPushes(SignalStreams streams, LostEvents lost, LatchkeySignalsProperties properties,
			ObjectProvider<Clock> clock) {
		SignalPushes pushes = new SignalPushes(streams, lost, List.copyOf(properties.allowedClients()),
				new PushUrls(properties.allowedPushUrls()), properties.pushMaxAttempts(), properties.pushBackoff(),
				properties.pushRetryAfter(), properties.pushEvery());
		pushes.setClock(Clocks.of(clock));
		return pushes;
	}

	@Bean
	@ConditionalOnMissingBean
	SignalStreamService latchkeySignalStreamService(SignalStreams streams, SignalTransmitter transmitter,
			LatchkeySignalsProperties properties, ObjectProvider<Clock> clock) {
		SignalStreamService service = new SignalStreamService(streams, transmitter,
				new PushUrls(properties.allowedPushUrls()));
		service.setClock(Clocks.of(clock));
		service.setMinVerificationInterval(properties.minVerificationInterval());
		return service;
	}

	@Bean
	@ConditionalOnMissingBean
	SignalPolls latchkeySignalPolls(SignalStreams streams, LostEvents lost, LatchkeySignalsProperties properties) {
		return new SignalPolls(streams, lost, properties.pollWait());
	}

	/**
	 * The endpoints; the issuer is {@code latchkey.signals.issuer}, else the
	 * authorization server's configured issuer, else the address each request came to.
	 */
	@Bean
	SignalsController latchkeySignalsController(SignalStreamService streams, SignalPolls polls,
			LatchkeySignalsProperties properties, ObjectProvider<AuthorizationServerSettings> settings) {
		AuthorizationServerSettings server = settings
			.getIfAvailable(() -> AuthorizationServerSettings.builder().build());
		String issuer = (properties.issuer() != null) ? properties.issuer().toString() : server.getIssuer();
		return new SignalsController(streams, polls, issuer, server.getJwkSetEndpoint());
	}

	@Bean(name = "latchkeySignalsSecurityFilterChain")
	@Order(SIGNALS_ORDER)
	@ConditionalOnMissingBean(name = "latchkeySignalsSecurityFilterChain")
	SecurityFilterChain latchkeySignalsSecurityFilterChain(HttpSecurity http, JWKSource<SecurityContext> signingKeys,
			AccessPolicy access, LatchkeySignalsProperties properties) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(signingKeys).build();
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefault(),
				SignalsConfiguration::clientCredentialsToken));
		ReceiverAccessHandlers handlers = new ReceiverAccessHandlers();
		Set<String> allowed = properties.allowedClients();
		http.securityMatcher(SignalsController.CONFIGURATION, "/ssf/**")
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers(HttpMethod.GET, SignalsController.CONFIGURATION)
				.permitAll()
				.anyRequest()
				.access((Supplier<? extends @Nullable Authentication> authentication,
						RequestAuthorizationContext context) -> receiver(authentication.get(), access, allowed)))
			.oauth2ResourceServer((resourceServer) -> resourceServer.jwt((jwt) -> jwt.decoder(decoder))
				.authenticationEntryPoint(handlers)
				.accessDeniedHandler(handlers))
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	/** A receiver: an allowed client whose token has the scope {@code ssf.stream}. */
	private static AuthorizationDecision receiver(@Nullable Authentication authentication, AccessPolicy access,
			Set<String> allowed) {
		if (!(authentication instanceof JwtAuthenticationToken token)) {
			return new AuthorizationDecision(false);
		}
		Collection<String> scopes = token.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter((authority) -> authority != null && authority.startsWith("SCOPE_"))
			.map((authority) -> authority.substring("SCOPE_".length()))
			.toList();
		return new AuthorizationDecision(access.mayManageSignalStream(token.getName(), scopes, allowed));
	}

	/**
	 * Only a token a client got for itself ({@code client_credentials}: its audience is
	 * exactly its subject), never one exchanged for a personal access token (whose
	 * subject is a user, and which names the PAT it came from), nor one another party got
	 * by token exchange (an {@code act} claim, or an audience wider than the subject).
	 */
	static OAuth2TokenValidatorResult clientCredentialsToken(Jwt jwt) {
		boolean own = jwt.getSubject() != null && jwt.getAudience() != null
				&& jwt.getAudience().equals(List.of(jwt.getSubject()))
				&& !jwt.hasClaim(PatTokenExchangeAuthenticationProvider.PAT_ID_CLAIM) && !jwt.hasClaim("act");
		return own ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult
			.failure(new OAuth2Error("invalid_token", "Not an access token a client got for itself", null));
	}

	/** {@code latchkey.signals.allowed-clients} names at least one client. */
	static class OnReceivers implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return Binder.get(context.getEnvironment())
				.bind("latchkey.signals.allowed-clients", Bindable.setOf(String.class))
				.map((clients) -> clients.stream().anyMatch((client) -> !client.isBlank()))
				.orElse(false);
		}

	}

}
