package io.latchkey.authorization.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

/**
 * Refuses any request whose URL carries an access token (an {@code access_token}
 * parameter or a string with our token prefix), before anything, Spring Security's debug
 * log included, can write the URL down. The URL is checked as sent and percent-decoded
 * (repeatedly, so that {@code lkp%5F…} or {@code lkp%255F…} are caught too); a URL that
 * does not decode is refused as well. Tokens belong in the {@code Authorization} header.
 */
public final class TokenInUrlFilter extends OncePerRequestFilter {

	private static final int MAX_DECODINGS = 3;

	private final Pattern tokenInUrl;

	public TokenInUrlFilter(String prefix) {
		this.tokenInUrl = Pattern.compile("(^|[^0-9A-Za-z])(access_token=|" + Pattern.quote(prefix) + "_)",
				Pattern.CASE_INSENSITIVE);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		String url = request.getRequestURI() + ((query != null) ? "?" + query : "");
		if (carriesToken(url)) {
			ProblemResponses.write(response, HttpStatus.BAD_REQUEST,
					"Access tokens are not accepted in the URL; send them in the Authorization header");
			return;
		}
		chain.doFilter(request, response);
	}

	private boolean carriesToken(String url) {
		String current = url;
		for (int i = 0; i <= MAX_DECODINGS; i++) {
			if (this.tokenInUrl.matcher(current).find()) {
				return true;
			}
			String decoded;
			try {
				decoded = UriUtils.decode(current.replace("+", " "), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				return true;
			}
			if (decoded.equals(current)) {
				return false;
			}
			current = decoded;
		}
		return true;
	}

}
