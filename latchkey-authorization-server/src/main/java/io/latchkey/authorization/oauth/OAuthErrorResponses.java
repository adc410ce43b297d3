package io.latchkey.authorization.oauth;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Error responses of the OAuth endpoints' client authentication, introspection and
 * revocation: Spring's OAuth error body, with 403 for a client that authenticated but may
 * not use the endpoint, 401 for {@code invalid_client}, 429 with {@code Retry-After}
 * while client-secret guessing is throttled, and 400 otherwise.
 */
final class OAuthErrorResponses implements AuthenticationFailureHandler {

	private final HttpMessageConverter<OAuth2Error> converter = new OAuth2ErrorHttpMessageConverter();

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		SecurityContextHolder.clearContext();
		OAuth2Error error = (exception instanceof OAuth2AuthenticationException oauth) ? oauth.getError()
				: new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
		if (OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode())) {
			error = new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT);
		}
		HttpStatus status = switch (error.getErrorCode()) {
			case OAuth2ErrorCodes.UNAUTHORIZED_CLIENT -> HttpStatus.FORBIDDEN;
			case OAuth2ErrorCodes.INVALID_CLIENT -> HttpStatus.UNAUTHORIZED;
			case ClientThrottledException.ERROR_CODE -> HttpStatus.TOO_MANY_REQUESTS;
			default -> HttpStatus.BAD_REQUEST;
		};
		ServletServerHttpResponse httpResponse = new ServletServerHttpResponse(response);
		if (exception instanceof ClientThrottledException throttled) {
			httpResponse.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
		}
		if (status == HttpStatus.UNAUTHORIZED) {
			httpResponse.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"oauth2\"");
		}
		httpResponse.setStatusCode(status);
		this.converter.write(error, null, httpResponse);
	}

}
