package io.latchkey.resource.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * RFC 6750 section 3.1: a request without a token gets a bare
 * {@code WWW-Authenticate: Bearer} (no error code, nothing else); a bad token gets
 * Spring's full {@code invalid_token} challenge.
 */
public final class BareBearerEntryPoint implements AuthenticationEntryPoint {

	private final BearerTokenAuthenticationEntryPoint invalidToken = new BearerTokenAuthenticationEntryPoint();

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		if (authException instanceof OAuth2AuthenticationException) {
			this.invalidToken.commence(request, response, authException);
			return;
		}
		response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
	}

}
