package io.latchkey.resource.web;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.latchkey.dpop.DPoP;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * What this service's RFC 9728 metadata ({@code /.well-known/oauth-protected-resource},
 * served by Spring Security's {@code OAuth2ProtectedResourceMetadataFilter}) says beyond
 * Spring's defaults: the auth server ({@code authorization_servers}), the scopes it
 * protects ({@code scopes_supported}: those configured, else every {@code SCOPE_…} its
 * controllers' {@code @PreAuthorize} name), the DPoP proof algorithms it verifies, its
 * name, and its resource identifier when one is configured (otherwise Spring's, from the
 * request). It takes no client certificates
 * ({@code tls_client_certificate_bound_access_tokens} false).
 *
 * @since 0.1
 */
public final class ProtectedResourceMetadata implements Consumer<OAuth2ProtectedResourceMetadata.Builder> {

	private static final Pattern SCOPE = Pattern.compile("SCOPE_([A-Za-z0-9._:\\-]+)");

	private final @Nullable URI resource;

	private final @Nullable String name;

	private final URI authorizationServer;

	private final Supplier<Set<String>> scopes;

	/**
	 * @param resource the resource identifier ({@code null}: the request's)
	 * @param name its human-readable name ({@code null}: none)
	 * @param authorizationServer the issuer of the tokens it accepts
	 * @param scopes the scopes it protects ({@code null}: read from the controllers of
	 * {@code beans})
	 * @param beans where the controllers are
	 */
	public ProtectedResourceMetadata(@Nullable URI resource, @Nullable String name, URI authorizationServer,
			@Nullable List<String> scopes, ListableBeanFactory beans) {
		Assert.notNull(authorizationServer, "authorizationServer cannot be null");
		this.resource = resource;
		this.name = name;
		this.authorizationServer = authorizationServer;
		this.scopes = (scopes != null) ? () -> new TreeSet<>(scopes)
				: SingletonSupplier.of(() -> protectedScopes(beans));
	}

	@Override
	public void accept(OAuth2ProtectedResourceMetadata.Builder metadata) {
		if (this.resource != null) {
			metadata.resource(this.resource.toString());
		}
		if (this.name != null) {
			metadata.resourceName(this.name);
		}
		metadata.authorizationServer(this.authorizationServer.toString())
			.tlsClientCertificateBoundAccessTokens(false)
			.claim("dpop_signing_alg_values_supported", DPoP.ALGORITHMS);
		Set<String> protectedScopes = this.scopes.get();
		if (!protectedScopes.isEmpty()) {
			metadata.scopes((scopes) -> scopes.addAll(protectedScopes));
		}
	}

	/** Every scope a controller method's (or class's) {@code @PreAuthorize} names. */
	static Set<String> protectedScopes(ListableBeanFactory beans) {
		Set<String> scopes = new TreeSet<>();
		for (RequestMappingHandlerMapping mapping : beans.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
			for (HandlerMethod handler : mapping.getHandlerMethods().values()) {
				PreAuthorize onMethod = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(),
						PreAuthorize.class);
				PreAuthorize onType = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(),
						PreAuthorize.class);
				for (PreAuthorize rule : new PreAuthorize[] { onMethod, onType }) {
					if (rule != null) {
						Matcher scope = SCOPE.matcher(rule.value());
						while (scope.find()) {
							scopes.add(scope.group(1));
						}
					}
				}
			}
		}
		return scopes;
	}

}
