package io.latchkey.authorization.config;

import io.latchkey.authorization.oauth.PatEndpoints;

import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.util.Assert;

/**
 * Adds personal access tokens to an authorization server's own security filter chain: its
 * {@code /oauth2/introspect} and {@code /oauth2/revoke} answer for PATs beside regular
 * OAuth tokens, and client secrets are cached and throttled. The one line an application
 * with its own authorization-server chain adds:
 *
 * <pre>
 * http.oauth2AuthorizationServer(Customizer.withDefaults())
 *     .with(LatchkeyAuthorizationServerConfigurer.latchkey(), Customizer.withDefaults());
 * </pre>
 *
 * It may come before or after {@code oauth2AuthorizationServer(...)} in the chain. The
 * collaborators come from the application context (Latchkey's auto-configuration provides
 * them). Applications without a chain of their own need nothing: Latchkey's
 * auto-configuration then builds the chain with this configurer.
 *
 * @since 0.1
 */
public final class LatchkeyAuthorizationServerConfigurer
		extends AbstractHttpConfigurer<LatchkeyAuthorizationServerConfigurer, HttpSecurity> {

	private boolean applied;

	private LatchkeyAuthorizationServerConfigurer() {
	}

	/**
	 * Personal access tokens in this chain's authorization server endpoints.
	 * @return the configurer, for {@code http.with(…)}
	 */
	public static LatchkeyAuthorizationServerConfigurer latchkey() {
		return new LatchkeyAuthorizationServerConfigurer();
	}

	/**
	 * Applies at once when the chain already has its authorization server, so that it
	 * comes before the authorization server builds its providers, whatever the order of
	 * the lines.
	 */
	@Override
	public void setBuilder(HttpSecurity http) {
		super.setBuilder(http);
		OAuth2AuthorizationServerConfigurer authorizationServer = http
			.getConfigurer(OAuth2AuthorizationServerConfigurer.class);
		if (authorizationServer != null) {
			apply(http, authorizationServer);
		}
	}

	@Override
	public void init(HttpSecurity http) {
		if (this.applied) {
			return;
		}
		OAuth2AuthorizationServerConfigurer authorizationServer = http
			.getConfigurer(OAuth2AuthorizationServerConfigurer.class);
		Assert.state(authorizationServer != null, "Latchkey's configurer belongs on the chain that configures "
				+ "the authorization server: add http.oauth2AuthorizationServer(...) to it");
		apply(http, authorizationServer);
	}

	private void apply(HttpSecurity http, OAuth2AuthorizationServerConfigurer authorizationServer) {
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		Assert.state(context != null, "Latchkey's configurer needs the ApplicationContext");
		context.getBean(PatEndpoints.class).applyTo(authorizationServer);
		this.applied = true;
	}

}
