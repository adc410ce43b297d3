package io.latchkey.authorization.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Outermost filter: a Redis failure anywhere below (authentication, introspection, a
 * controller) becomes a 503 problem with {@code Retry-After}, never a 500 and never
 * access.
 */
public final class StorageOutageFilter extends OncePerRequestFilter {

	private final Log logger = LogFactory.getLog(getClass());

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException ex) {
			if (!ProblemResponses.isStorageFailure(ex) || response.isCommitted()) {
				throw ex;
			}
			this.logger
				.warn("Redis is unavailable; answering 503 to " + request.getMethod() + " " + request.getRequestURI());
			if (this.logger.isDebugEnabled()) {
				this.logger.debug("The Redis failure behind that 503", ex);
			}
			response.reset();
			ProblemResponses.storageUnavailable(request, response);
		}
	}

}
