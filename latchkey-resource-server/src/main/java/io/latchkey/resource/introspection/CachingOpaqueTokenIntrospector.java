package io.latchkey.resource.introspection;

import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.util.Assert;

/**
 * Asks the auth server only when the cache has no answer. An unreachable auth server is
 * not an answer: that failure propagates (and becomes a 503), and nothing is cached. A
 * cached active answer is checked against each request's client address: a token with an
 * allowlist ({@code allowed_ips}) is refused from outside it, as the auth server would.
 * <p>
 * The auth server records where each token is used and tells owners about new addresses,
 * so a cached answer serving a client address for the first time asks again, once,
 * reporting that address: a token used from elsewhere while an integration keeps its
 * answer cached is still seen. Its fresh answer serves that request; an address the
 * answer already served costs nothing more. Should that call fail, the cached answer
 * serves (it is within its maximum age), unreported.
 */
public final class CachingOpaqueTokenIntrospector implements OpaqueTokenIntrospector {

	private final OpaqueTokenIntrospector authServer;

	private final IntrospectionCache cache;

	public CachingOpaqueTokenIntrospector(OpaqueTokenIntrospector authServer, IntrospectionCache cache) {
		Assert.notNull(authServer, "authServer cannot be null");
		Assert.notNull(cache, "cache cannot be null");
		this.authServer = authServer;
		this.cache = cache;
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		String address = ClientAddress.current();
		IntrospectionCache.Answer cached = this.cache.get(token, address);
		if (cached != null) {
			OAuth2AuthenticatedPrincipal principal = cached.principal();
			if (principal == null || !cached.admits(address)) {
				throw new BadOpaqueTokenException("The token is not active");
			}
			return cached.firstUseFrom(address) ? report(token, principal) : principal;
		}
		long askedAt = this.cache.generation();
		OAuth2AuthenticatedPrincipal principal;
		try {
			principal = this.authServer.introspect(token);
		}
		catch (BadOpaqueTokenException ex) {
			this.cache.putInactive(token, address, askedAt);
			throw ex;
		}
		this.cache.putActive(token, principal, askedAt, address);
		return principal;
	}

	/**
	 * Asks the auth server again for a request from an address the cached answer has not
	 * served: it records the address. Inactive now (revoked, its event lost): refused,
	 * and its cached answer dropped.
	 */
	private OAuth2AuthenticatedPrincipal report(String token, OAuth2AuthenticatedPrincipal cached) {
		try {
			return this.authServer.introspect(token);
		}
		catch (BadOpaqueTokenException ex) {
			this.cache.dropToken(IntrospectionCache.digest(token));
			throw ex;
		}
		catch (RuntimeException ex) {
			return cached;
		}
	}

}
