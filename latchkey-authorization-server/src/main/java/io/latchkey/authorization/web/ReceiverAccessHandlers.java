package io.latchkey.authorization.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The Shared Signals endpoints' refusals: 401 without a valid access token, 403 for a
 * client that is not an allowed receiver or whose token lacks the scope
 * {@code ssf.stream}; RFC 6750's challenge and a problem body either way. A Redis failure
 * is rethrown so that {@link StorageOutageFilter} answers 503 instead.
 */
public final class ReceiverAccessHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();

	private final BearerTokenAccessDeniedHandler denied = new BearerTokenAccessDeniedHandler();

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		if (ProblemResponses.isStorageFailure(authException)) {
			throw authException;
		}
		this.bearer.commence(request, response, authException);
		ProblemResponses.write(response, HttpStatus.UNAUTHORIZED,
				"An access token of a registered client (client_credentials, scope ssf.stream) is required");
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			AccessDeniedException accessDeniedException) throws IOException {
		this.denied.handle(request, response, accessDeniedException);
		ProblemResponses.write(response, HttpStatus.FORBIDDEN,
				"This client may not manage a Shared Signals stream: it must be in "
						+ "latchkey.signals.allowed-clients and its token must have the scope ssf.stream");
	}

}
