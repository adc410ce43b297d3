package io.latchkey.resource.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.latchkey.core.Causes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Fail closed: when the auth server cannot answer (unreachable, timing out, failing) or
 * Redis is away, the request gets 503 with {@code Retry-After}, never access and never a
 * 500. Spring Security rethrows such failures rather than answering 401, and they end up
 * here.
 */
public final class UnavailableFilter extends OncePerRequestFilter {

	private final Log logger = LogFactory.getLog(getClass());

	private final String retryAfter;

	public UnavailableFilter(int retryAfterSeconds) {
		this.retryAfter = Integer.toString(retryAfterSeconds);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException ex) {
			String unavailable = unavailable(ex);
			if (unavailable == null || response.isCommitted()) {
				throw ex;
			}
			this.logger.warn(unavailable + " is unavailable; answering 503 to " + request.getMethod() + " "
					+ request.getRequestURI());
			response.resetBuffer();
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			response.setHeader(HttpHeaders.RETRY_AFTER, this.retryAfter);
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.getOutputStream()
				.write(("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\""
						+ unavailable + " is unavailable; try again shortly\"}")
					.getBytes(StandardCharsets.UTF_8));
		}
	}

	private static String unavailable(Throwable failure) {
		if (Causes.isCausedBy(failure, OAuth2IntrospectionException.class)) {
			return "The auth server";
		}
		return Causes.isCausedBy(failure, DataAccessException.class) ? "Storage" : null;
	}

}
