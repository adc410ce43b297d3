package io.latchkey.resource.web;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;

import static org.springframework.security.config.Customizer.withDefaults;

/**
 * Latchkey's resource-server behaviour in an application's own security filter chain:
 * bearer tokens checked by the (caching) opaque-token introspector bean, and RFC 6750
 * answers (a bare {@code WWW-Authenticate: Bearer} without a token, {@code invalid_token}
 * for a bad one). The one line an application with its own chain adds:
 *
 * <pre>
 * http.with(LatchkeyResourceServerConfigurer.latchkeyResourceServer(), Customizer.withDefaults());
 * </pre>
 *
 * @since 0.1
 */
public final class LatchkeyResourceServerConfigurer
		extends AbstractHttpConfigurer<LatchkeyResourceServerConfigurer, HttpSecurity> {

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
		http.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(withDefaults())
			.authenticationEntryPoint(new BareBearerEntryPoint()));
	}

}
