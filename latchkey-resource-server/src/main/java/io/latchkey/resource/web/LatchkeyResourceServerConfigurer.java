package io.latchkey.resource.web;

import io.latchkey.dpop.DPoP;

import org.springframework.cache.Cache;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.oauth2.server.resource.authentication.DPoPAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * Latchkey's resource-server behaviour in an application's own security filter chain:
 * bearer tokens checked by the (caching) opaque-token introspector bean, tokens bound to
 * a key checked with their DPoP proofs (RFC 9449, see {@link DPoP}; replays refused
 * through the {@value #PROOF_REPLAYS} cache), RFC 6750 answers (a
 * {@code WWW-Authenticate: Bearer} without an error code when there is no token,
 * {@code invalid_token} for a bad one), and RFC 9728 metadata at
 * {@code /.well-known/oauth-protected-resource}, which every challenge names. The one
 * line an application with its own chain adds:
 *
 * <pre>
 * http.with(LatchkeyResourceServerConfigurer.latchkeyResourceServer(), Customizer.withDefaults());
 * </pre>
 *
 * @since 0.1
 */
public final class LatchkeyResourceServerConfigurer
		extends AbstractHttpConfigurer<LatchkeyResourceServerConfigurer, HttpSecurity> {

	/** The name of the {@link Cache} bean of DPoP proofs seen. */
	public static final String PROOF_REPLAYS = "latchkeyProofReplays";

	private LatchkeyResourceServerConfigurer() {
	}

	/**
	 * Latchkey's resource-server behaviour for this chain.
	 * @return the configurer, for {@code http.with(…)}
	 */
	public static LatchkeyResourceServerConfigurer latchkeyResourceServer() {
		return new LatchkeyResourceServerConfigurer();
	}

	@Override
	public void init(HttpSecurity http) {
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		AuthenticationManager tokens = new ProviderManager(
				new OpaqueTokenAuthenticationProvider(context.getBean(OpaqueTokenIntrospector.class)));
		DPoPAuthenticationProvider proofs = DPoP.proofProvider(tokens, context.getBean(PROOF_REPLAYS, Cache.class));
		ProtectedResourceMetadata metadata = context.getBean(ProtectedResourceMetadata.class);
		http.oauth2ResourceServer((resourceServer) -> {
			resourceServer.opaqueToken((opaque) -> opaque.authenticationManager(DPoP.bearerOnly(tokens)))
				.authenticationEntryPoint(new BareBearerEntryPoint())
				.protectedResourceMetadata((resource) -> resource.protectedResourceMetadataCustomizer(metadata));
			DPoP.configure(resourceServer, proofs, BareBearerEntryPoint::resourceMetadata);
		});
	}

}
