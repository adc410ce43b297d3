package io.latchkey.resource.introspection;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.util.Assert;

/**
 * Times every question to the auth server as {@code latchkey.resource.introspection}, by
 * {@code outcome}: {@code active}, {@code inactive} (the token is refused), {@code error}
 * (the auth server could not answer: the request is answered 503). It sits below the
 * cache, so that it times only the round trips the cache could not save.
 * {@code management.metrics.distribution.percentiles-histogram.latchkey.resource.introspection=true}
 * publishes a histogram.
 *
 * @since 0.1
 */
public final class TimedIntrospector implements OpaqueTokenIntrospector {

	private final OpaqueTokenIntrospector authServer;

	private final Timer active;

	private final Timer inactive;

	private final Timer error;

	/**
	 * @param authServer asks the auth server
	 * @param meters where the timings go
	 */
	public TimedIntrospector(OpaqueTokenIntrospector authServer, MeterRegistry meters) {
		Assert.notNull(authServer, "authServer cannot be null");
		Assert.notNull(meters, "meters cannot be null");
		this.authServer = authServer;
		this.active = outcome(meters, "active");
		this.inactive = outcome(meters, "inactive");
		this.error = outcome(meters, "error");
	}

	private static Timer outcome(MeterRegistry meters, String outcome) {
		return Timer.builder("latchkey.resource.introspection")
			.description("Introspection requests to the auth server, by outcome")
			.tag("outcome", outcome)
			.register(meters);
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		long start = System.nanoTime();
		Timer outcome = this.error;
		try {
			OAuth2AuthenticatedPrincipal principal = this.authServer.introspect(token);
			outcome = this.active;
			return principal;
		}
		catch (BadOpaqueTokenException ex) {
			outcome = this.inactive;
			throw ex;
		}
		finally {
			outcome.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		}
	}

}
