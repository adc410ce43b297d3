package io.latchkey.authorization.web;

import java.io.IOException;

import io.latchkey.authorization.error.Rule;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 403 with a problem body; for a token, also RFC 6750's {@code insufficient_scope}
 * challenge.
 */
public final class ApiAccessDeniedHandler implements AccessDeniedHandler {

	private final BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			AccessDeniedException accessDeniedException) throws IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof BearerTokenAuthentication) {
			this.bearer.handle(request, response, accessDeniedException);
		}
		if (authentication instanceof BearerTokenAuthentication && isTokenCreation(request)) {
			ProblemResponses.write(response, HttpStatus.FORBIDDEN,
					"Generating or rotating a token requires password authentication, never another token",
					Rule.TOKEN_NEVER_EXTENDS);
		}
		else if (authentication instanceof BearerTokenAuthentication && request.getRequestURI().contains("/api/me")) {
			ProblemResponses.write(response, HttpStatus.FORBIDDEN,
					"A narrowed token reaches its owner's account and tokens only with the scope tokens.self",
					Rule.NARROWED_TOKEN);
		}
		else {
			ProblemResponses.write(response, HttpStatus.FORBIDDEN, "You lack the right this request needs",
					Rule.RIGHT_REQUIRED);
		}
	}

	private static boolean isTokenCreation(HttpServletRequest request) {
		String path = request.getRequestURI();
		return "POST".equals(request.getMethod()) && (path.endsWith("/tokens") || path.endsWith("/rotate"))
				&& !path.endsWith("/self/rotate");
	}

}
