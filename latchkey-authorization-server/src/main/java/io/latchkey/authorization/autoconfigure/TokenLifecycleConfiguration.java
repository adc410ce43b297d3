package io.latchkey.authorization.autoconfigure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.event.EventPublisher;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.support.RequestValidator;
import io.latchkey.authorization.token.ResourceServices;
import io.latchkey.authorization.token.TokenIssuer;
import io.latchkey.authorization.token.TokenQueries;
import io.latchkey.authorization.token.TokenRepository;
import io.latchkey.authorization.token.TokenRevocation;
import io.latchkey.authorization.token.TokenRotation;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.Assert;

/**
 * The token lifecycle: issuing, rotation, revocation and queries, each a service of its
 * own.
 */
@Configuration(proxyBeanMethods = false)
class TokenLifecycleConfiguration {

	/**
	 * The audience of tokens: every client allowed to introspect is a resource service,
	 * named by its client id unless described under {@code latchkey.resource-services},
	 * and the management API.
	 */
	@Bean
	@ConditionalOnMissingBean
	ResourceServices latchkeyResourceServices(LatchkeyProperties properties) {
		Set<String> introspecting = properties.introspection().allowedClients();
		Assert.state(!introspecting.contains(ResourceServices.MANAGEMENT_API),
				() -> "latchkey.introspection.allowed-clients: '" + ResourceServices.MANAGEMENT_API
						+ "' is the management API's reserved audience, not a client id");
		properties.resourceServices()
			.keySet()
			.forEach((clientId) -> Assert.state(introspecting.contains(clientId), () -> "latchkey.resource-services."
					+ clientId + ": not one of latchkey.introspection.allowed-clients " + introspecting));
		List<ResourceServices.Service> services = new ArrayList<>();
		for (String clientId : new TreeSet<>(introspecting)) {
			LatchkeyProperties.ResourceService described = properties.resourceServices().get(clientId);
			String name = (described != null && described.name() != null) ? described.name() : clientId;
			services
				.add(new ResourceServices.Service(clientId, name, (described != null) ? described.resource() : null));
		}
		return new ResourceServices(services, properties.tokens().defaultAudience());
	}

	@Bean
	@ConditionalOnMissingBean
	TokenIssuer latchkeyTokenIssuer(TokenRepository tokens, OwnerDirectory owners, RightsCatalog catalog,
			LatchkeyProperties properties, AccessPolicy access, AuditLog audit, RequestValidator validator,
			ResourceServices services, ObjectProvider<Clock> clock) {
		TokenIssuer issuer = new TokenIssuer(tokens, owners, catalog, properties.tokens(), access, audit, validator,
				services);
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
