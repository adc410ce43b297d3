package io.latchkey.authorization.oauth;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.throttle.LoginThrottle;
import io.latchkey.authorization.token.ResourceServices;
import io.latchkey.authorization.token.TokenRevocation;
import io.latchkey.authorization.token.TokenVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.util.Assert;

/**
 * Personal access tokens in Spring Authorization Server's own endpoints. Applied to an
 * authorization server's configurer, it wraps four of its stock providers as they are
 * built: introspection and revocation answer for PATs and hand every other token to the
 * stock provider (see {@link PatIntrospectionAuthenticationProvider}), the token endpoint
 * exchanges PATs for short-lived JWTs (see
 * {@link PatTokenExchangeAuthenticationProvider}), and client-secret authentication keeps
 * verified secrets (see {@link VerifiedSecretCache}) and throttles guessing (see
 * {@link ThrottledClientSecretAuthenticationProvider}). Client authentication, error
 * format and discovery metadata stay Spring's; the error handlers of introspection and
 * revocation answer 403 for a client that may not use PATs, and 429 while guessing is
 * throttled; the token endpoint keeps Spring's (400, RFC 6749 §5.2). Introspection
 * answers come signed to a client that asks for them so (see
 * {@link IntrospectionResponses}).
 */
public final class PatEndpoints {

	private final TokenVerifier verifier;

	private final TokenRevocation tokens;

	private final IntrospectingClients clients;

	private final VerifiedSecretCache secrets;

	private final Supplier<RegisteredClientRepository> registeredClients;

	private final LoginThrottle throttle;

	private final AuditLog audit;

	private final OAuthErrorResponses errors = new OAuthErrorResponses();

	private Set<String> exchangeClients = Set.of();

	private Duration exchangeMaxTimeToLive = Duration.ofMinutes(5);

	private @Nullable JwtEncoder jwtEncoder;

	private Clock clock = Clock.systemUTC();

	private @Nullable ResourceServices services;

	private @Nullable Cache proofReplays;

	private MeterRegistry meters = new CompositeMeterRegistry();

	public PatEndpoints(TokenVerifier verifier, TokenRevocation tokens, IntrospectingClients clients,
			VerifiedSecretCache secrets, Supplier<RegisteredClientRepository> registeredClients, LoginThrottle throttle,
			AuditLog audit) {
		Assert.notNull(verifier, "verifier cannot be null");
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(clients, "clients cannot be null");
		Assert.notNull(secrets, "secrets cannot be null");
		Assert.notNull(registeredClients, "registeredClients cannot be null");
		Assert.notNull(throttle, "throttle cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		this.verifier = verifier;
		this.tokens = tokens;
		this.clients = clients;
		this.secrets = secrets;
		this.registeredClients = registeredClients;
		this.throttle = throttle;
		this.audit = audit;
	}

	/**
	 * Lets {@code allowedClients} exchange PATs for JWTs signed by {@code encoder} at the
	 * token endpoint (RFC 8693, see {@link PatTokenExchangeAuthenticationProvider}), and
	 * signs introspection answers for clients that ask for them (RFC 9701, see
	 * {@link IntrospectionResponses}); without it, the token endpoint treats PATs as it
	 * treats any unknown token, and introspection answers in JSON only.
	 * @param allowedClients the clients that may exchange
	 * @param maxTimeToLive the longest life of an exchanged JWT
	 * @param encoder signs the JWTs and the signed answers with the server's keys
	 * @param clock the time
	 * @param services the services a JWT may be meant for
	 * @param proofReplays the DPoP proofs already seen
	 */
	public void setTokenExchange(Set<String> allowedClients, Duration maxTimeToLive, JwtEncoder encoder, Clock clock,
			ResourceServices services, Cache proofReplays) {
		Assert.notNull(allowedClients, "allowedClients cannot be null");
		Assert.isTrue(maxTimeToLive.isPositive(), "maxTimeToLive must be positive");
		Assert.notNull(services, "services cannot be null");
		Assert.notNull(proofReplays, "proofReplays cannot be null");
		this.services = services;
		this.proofReplays = proofReplays;
		this.exchangeMaxTimeToLive = maxTimeToLive;
		Assert.notNull(encoder, "encoder cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.exchangeClients = Set.copyOf(allowedClients);
		this.jwtEncoder = encoder;
		this.clock = clock;
	}

	/**
	 * Counts introspections and exchanges in {@code meters} (see
	 * {@link PatIntrospectionAuthenticationProvider#setMeterRegistry} and
	 * {@link PatTokenExchangeAuthenticationProvider#setMeterRegistry}).
	 * @param meters where the counts go
	 */
	public void setMeterRegistry(MeterRegistry meters) {
		Assert.notNull(meters, "meters cannot be null");
		this.meters = meters;
	}

	/**
	 * Adds PATs to the endpoints of {@code authorizationServer}; call before the chain is
	 * built.
	 */
	public void applyTo(OAuth2AuthorizationServerConfigurer authorizationServer) {
		authorizationServer.withObjectPostProcessor(new ObjectPostProcessor<AuthenticationProvider>() {
			@Override
			public <O extends AuthenticationProvider> O postProcess(O provider) {
				return wrap(provider);
			}
		});
		authorizationServer
			.clientAuthentication((clientAuthentication) -> clientAuthentication.errorResponseHandler(this.errors));
		authorizationServer.tokenIntrospectionEndpoint((introspection) -> {
			introspection.errorResponseHandler(this.errors);
			if (this.jwtEncoder != null) {
				introspection.introspectionResponseHandler(new IntrospectionResponses(this.jwtEncoder, this.clock));
			}
		});
		authorizationServer.tokenRevocationEndpoint((revocation) -> revocation.errorResponseHandler(this.errors));
	}

	@SuppressWarnings("unchecked")
	<O extends AuthenticationProvider> O wrap(O provider) {
		if (provider instanceof OAuth2TokenIntrospectionAuthenticationProvider stock) {
			PatIntrospectionAuthenticationProvider pats = new PatIntrospectionAuthenticationProvider(this.verifier,
					this.clients, stock);
			pats.setMeterRegistry(this.meters);
			return (O) (AuthenticationProvider) pats;
		}
		if (provider instanceof OAuth2TokenExchangeAuthenticationProvider stock && this.jwtEncoder != null
				&& this.services != null && this.proofReplays != null) {
			PatTokenExchangeAuthenticationProvider pats = new PatTokenExchangeAuthenticationProvider(this.verifier,
					this.exchangeClients, this.exchangeMaxTimeToLive, this.jwtEncoder, this.clock, this.services,
					this.proofReplays, stock);
			pats.setMeterRegistry(this.meters);
			return (O) (AuthenticationProvider) pats;
		}
		if (provider instanceof OAuth2TokenRevocationAuthenticationProvider stock) {
			return (O) (AuthenticationProvider) new PatRevocationAuthenticationProvider(this.verifier, this.tokens,
					this.clients, stock);
		}
		if (provider instanceof ClientSecretAuthenticationProvider clientSecret) {
			clientSecret.setPasswordEncoder(this.secrets);
			return (O) (AuthenticationProvider) new ThrottledClientSecretAuthenticationProvider(clientSecret,
					this.registeredClients.get(), this.secrets, this.throttle, this.audit);
		}
		return provider;
	}

}
