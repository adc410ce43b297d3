package io.latchkey.resource.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.latchkey.core.Causes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Fail closed: when the auth server cannot answer (unreachable, timing out, failing) or
 * Redis is away, the request gets 503 with {@code Retry-After}, never access and never a
 * 500. Spring Security rethrows such failures rather than answering 401, and they end up
 * here.
 */
public final class UnavailableFilter extends OncePerRequestFilter {

	private static final String AUTH_SERVER = "The auth server";

	private final Log logger = LogFactory.getLog(getClass());

	private final String retryAfter;

	private Counter authServerAway;

	private Counter storageAway;

	public UnavailableFilter(int retryAfterSeconds) {
		this.retryAfter = Integer.toString(retryAfterSeconds);
		setMeterRegistry(new CompositeMeterRegistry());
	}

	/**
	 * Counts the requests answered 503 in {@code meters} as
	 * {@code latchkey.resource.unavailable}, by what was away ({@code cause}:
	 * {@code auth-server}, {@code storage}).
	 * @param meters where the counts go
	 */
	public void setMeterRegistry(MeterRegistry meters) {
		Assert.notNull(meters, "meters cannot be null");
		this.authServerAway = cause(meters, "auth-server");
		this.storageAway = cause(meters, "storage");
	}

	private static Counter cause(MeterRegistry meters, String cause) {
		return Counter.builder("latchkey.resource.unavailable")
			.description("Requests answered 503 because the auth server or storage was away")
			.tag("cause", cause)
			.register(meters);
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
			(unavailable.equals(AUTH_SERVER) ? this.authServerAway : this.storageAway).increment();
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
			return AUTH_SERVER;
		}
		return Causes.isCausedBy(failure, DataAccessException.class) ? "Storage" : null;
	}

}
