package io.latchkey.authorization.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 403 with a problem body; for a token, also RFC 6750's {@code insufficient_scope} challenge. */
public final class ApiAccessDeniedHandler implements AccessDeniedHandler {

	private final BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			AccessDeniedException accessDeniedException) throws IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof BearerTokenAuthentication) {
			this.bearer.handle(request, response, accessDeniedException);
		}
		String detail = (authentication instanceof BearerTokenAuthentication && isTokenCreation(request))
				? "Generating a token requires password authentication, never another token"
				: "You lack the right this request needs";
		ProblemResponses.write(response, HttpStatus.FORBIDDEN, detail);
	}

	private static boolean isTokenCreation(HttpServletRequest request) {
		return "POST".equals(request.getMethod()) && request.getRequestURI().endsWith("/tokens");
	}

}
