package io.latchkey.resource.web;

import java.io.IOException;

import io.latchkey.dpop.DPoP;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.util.UrlUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * RFC 6750 section 3.1: a request without a token gets a {@code WWW-Authenticate: Bearer}
 * without an error code, naming only where this service's RFC 9728 metadata is
 * ({@code resource_metadata}); a bad token gets Spring's full {@code invalid_token}
 * challenge (with {@code resource_metadata} too); a token bound to a key presented as a
 * plain bearer token gets a {@code DPoP} challenge, {@code invalid_token} (RFC 9449).
 */
public final class BareBearerEntryPoint implements AuthenticationEntryPoint {

	/** Where RFC 9728 puts the metadata of a resource. */
	public static final String METADATA_PATH = "/.well-known/oauth-protected-resource";

	private final BearerTokenAuthenticationEntryPoint invalidToken = new BearerTokenAuthenticationEntryPoint();

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		if (authException instanceof DPoP.ProofRequiredException proofRequired) {
			DPoP.challenge(request, response, proofRequired.getError(), BareBearerEntryPoint::resourceMetadata);
			return;
		}
		if (authException instanceof OAuth2AuthenticationException) {
			this.invalidToken.commence(request, response, authException);
			return;
		}
		response.addHeader(HttpHeaders.WWW_AUTHENTICATE,
				"Bearer resource_metadata=\"" + resourceMetadata(request) + "\"");
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
	}

	/**
	 * The address of this service's protected-resource metadata, as challenges name it.
	 * @param request any request to the service
	 * @return the metadata's URL
	 */
	public static String resourceMetadata(HttpServletRequest request) {
		return UriComponentsBuilder.fromUriString(UrlUtils.buildFullRequestUrl(request))
			.replacePath(request.getContextPath() + METADATA_PATH)
			.replaceQuery(null)
			.fragment(null)
			.build()
			.toUriString();
	}

}
