package io.latchkey.authorization.autoconfigure;

import java.time.Clock;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.event.EventPublisher;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.support.RequestValidator;
import io.latchkey.authorization.token.TokenIssuer;
import io.latchkey.authorization.token.TokenQueries;
import io.latchkey.authorization.token.TokenRepository;
import io.latchkey.authorization.token.TokenRevocation;
import io.latchkey.authorization.token.TokenRotation;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The token lifecycle: issuing, rotation, revocation and queries, each a service of its
 * own.
 */
@Configuration(proxyBeanMethods = false)
class TokenLifecycleConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TokenIssuer latchkeyTokenIssuer(TokenRepository tokens, OwnerDirectory owners, RightsCatalog catalog,
			LatchkeyProperties properties, AccessPolicy access, AuditLog audit, RequestValidator validator,
			ObjectProvider<Clock> clock) {
		TokenIssuer issuer = new TokenIssuer(tokens, owners, catalog, properties.tokens(), access, audit, validator);
		issuer.setClock(Clocks.of(clock));
		return issuer;
	}

	@Bean
	@ConditionalOnMissingBean
	TokenRotation latchkeyTokenRotation(TokenRepository tokens, OwnerDirectory owners, LatchkeyProperties properties,
			AccessPolicy access, AuditLog audit, EventPublisher events, RequestValidator validator,
			ObjectProvider<Clock> clock) {
		TokenRotation rotation = new TokenRotation(tokens, owners, properties.tokens(), access, audit, events,
				validator);
		rotation.setClock(Clocks.of(clock));
		return rotation;
	}

	/**
	 * Also acts on {@code TokenReuseDetected} and {@code UserDeleted} (application
	 * events).
	 */
	@Bean
	@ConditionalOnMissingBean
	TokenRevocation latchkeyTokenRevocation(TokenRepository tokens, OwnerDirectory owners,
			LatchkeyProperties properties, AccessPolicy access, AuditLog audit, EventPublisher events,
			RequestValidator validator, ObjectProvider<Clock> clock) {
		TokenRevocation revocation = new TokenRevocation(tokens, owners, properties.tokens(), access, audit, events,
				validator);
		revocation.setClock(Clocks.of(clock));
		return revocation;
	}

	@Bean
	@ConditionalOnMissingBean
	TokenQueries latchkeyTokenQueries(TokenRepository tokens, OwnerDirectory owners, AccessPolicy access,
			ObjectProvider<Clock> clock) {
		TokenQueries queries = new TokenQueries(tokens, owners, access);
		queries.setClock(Clocks.of(clock));
		return queries;
	}

}
