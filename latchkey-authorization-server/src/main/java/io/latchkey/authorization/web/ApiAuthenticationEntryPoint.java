package io.latchkey.authorization.web;

import java.io.IOException;

import io.latchkey.authorization.throttle.ThrottledException;
import io.latchkey.dpop.DPoP;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 for the management API: the RFC 6750 {@code Bearer} challenge (with
 * {@code invalid_token} when a token was presented) beside a {@code Basic} one, and a
 * problem body; 429 with {@code Retry-After} while password guessing is throttled. A
 * Redis failure is rethrown so that {@link StorageOutageFilter} answers 503 instead.
 */
public final class ApiAuthenticationEntryPoint implements AuthenticationEntryPoint {

	private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		if (ProblemResponses.isStorageFailure(authException)) {
			throw authException;
		}
		if (authException instanceof ThrottledException throttled) {
			ProblemResponses.throttled(response, throttled.retryAfterSeconds());
			return;
		}
		if (authException instanceof DPoP.ProofRequiredException || isDPoP(request)) {
			OAuth2Error error = (authException instanceof OAuth2AuthenticationException oauth) ? oauth.getError()
					: null;
			DPoP.challenge(request, response, error, null);
			ProblemResponses.write(response, HttpStatus.UNAUTHORIZED,
					(error != null && error.getDescription() != null) ? error.getDescription()
							: "A DPoP-bound token needs 'Authorization: DPoP' and a valid DPoP proof of its key");
			return;
		}
		this.bearer.commence(request, response, authException);
		response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Latchkey\"");
		ProblemResponses.write(response, HttpStatus.UNAUTHORIZED,
				"Authentication with a password (HTTP Basic) or a personal access token (Bearer) is required");
	}

	private static boolean isDPoP(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		return authorization != null && authorization.regionMatches(true, 0, "DPoP ", 0, 5);
	}

}
