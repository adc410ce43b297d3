package io.latchkey.auth.security;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses any request whose URL carries an access token (an {@code access_token} parameter or
 * a string with our token prefix), before anything, Spring Security's debug log included, can
 * write the URL down. Tokens belong in the {@code Authorization} header.
 */
class TokenInUrlFilter extends OncePerRequestFilter {

	private final Pattern tokenInUrl;

	TokenInUrlFilter(String prefix) {
		this.tokenInUrl = Pattern.compile("(^|[^0-9A-Za-z])(access_token=|" + Pattern.quote(prefix) + "_)");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		if (this.tokenInUrl.matcher(request.getRequestURI()).find()
				|| (query != null && this.tokenInUrl.matcher(query).find())) {
			ProblemResponses.write(response, HttpStatus.BAD_REQUEST,
					"Access tokens are not accepted in the URL; send them in the Authorization header");
			return;
		}
		chain.doFilter(request, response);
	}

}
