package io.latchkey.authorization.autoconfigure;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The application's {@link Clock} bean if it declares one (tests move time with it), else
 * the system's.
 */
final class Clocks {

	private Clocks() {
	}

	static Clock of(ObjectProvider<Clock> clock) {
		return clock.getIfAvailable(Clock::systemUTC);
	}

}
