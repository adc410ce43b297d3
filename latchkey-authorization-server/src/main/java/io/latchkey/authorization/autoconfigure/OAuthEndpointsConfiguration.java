package io.latchkey.authorization.autoconfigure;

import java.time.Clock;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.oauth.IntrospectingClients;
import io.latchkey.authorization.oauth.PatEndpoints;
import io.latchkey.authorization.oauth.VerifiedSecretCache;
import io.latchkey.authorization.throttle.LoginThrottle;
import io.latchkey.authorization.token.ResourceServices;
import io.latchkey.authorization.token.TokenRevocation;
import io.latchkey.authorization.token.TokenVerifier;
import io.latchkey.dpop.ProofReplayCache;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cache.Cache;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Personal access tokens in Spring Authorization Server's endpoints: introspection,
 * revocation and token exchange.
 */
@Configuration(proxyBeanMethods = false)
class OAuthEndpointsConfiguration {

	/** The name of the {@link Cache} of DPoP proofs seen. */
	static final String PROOF_REPLAYS = "latchkeyProofReplays";

	/**
	 * The DPoP proofs seen, by the management API and token exchange alike: in Redis, so
	 * that a proof used at one instance is refused at every other.
	 */
	@Bean(PROOF_REPLAYS)
	@ConditionalOnMissingBean(name = PROOF_REPLAYS)
	Cache latchkeyProofReplays(StringRedisTemplate redis, LatchkeyProperties properties) {
		return new ProofReplayCache(redis, properties.redis().keyPrefix());
	}

	@Bean
	@ConditionalOnMissingBean
	PatEndpoints latchkeyPatEndpoints(TokenVerifier verifier, TokenRevocation revocation, LatchkeyProperties properties,
			PasswordEncoder passwordEncoder, ObjectProvider<RegisteredClientRepository> registeredClients,
			LoginThrottle throttle, AuditLog audit, JWKSource<SecurityContext> signingKeys, ResourceServices services,
			@Qualifier(PROOF_REPLAYS) Cache proofReplays, ObjectProvider<Clock> clock,
			ObjectProvider<MeterRegistry> meters) {
		PatEndpoints endpoints = new PatEndpoints(verifier, revocation,
				new IntrospectingClients(properties.introspection().allowedClients()),
				new VerifiedSecretCache(passwordEncoder, properties.introspection().clientSecretCacheTtl()),
				registeredClients::getObject, throttle, audit);
		endpoints.setTokenExchange(properties.exchange().allowedClients(), properties.exchange().maxTimeToLive(),
				new NimbusJwtEncoder(signingKeys), Clocks.of(clock), services, proofReplays);
		meters.ifAvailable(endpoints::setMeterRegistry);
		return endpoints;
	}

}
