package io.latchkey.authorization.redis;

import java.time.Duration;
import java.util.UUID;

import io.latchkey.authorization.throttle.LoginThrottle;
import io.latchkey.authorization.throttle.ThrottlePolicy;
import io.latchkey.authorization.throttle.ThrottledException;
import io.latchkey.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The throttle's counts live in Redis: two auth-server instances (two throttles on one
 * Redis) share them, and a bucket refills over its window (time moved by the clock, never
 * slept).
 */
class LoginThrottleTests {

	private static final ThrottlePolicy SETTINGS = new ThrottlePolicy(true, 3, 20, 5, 3, Duration.ofMinutes(5));

	@RegisterExtension
	static final RealRedisBuckets redis = new RealRedisBuckets();

	private final MutableClock clock = MutableClock.startingNow();

	private final String prefix = "throttle-test-" + UUID.randomUUID() + ":";

	@Test
	void checkWhenAnotherInstanceCountedTheFailuresThenThrottledHereToo() {
		LoginThrottle first = throttle();
		LoginThrottle second = throttle();
		LoginThrottle.Key[] alice = LoginThrottle.password("Alice", "10.0.0.1");
		for (int i = 0; i < 3; i++) {
			first.check(alice);
			first.failed(alice);
		}
		ThrottledException refused = catchThrowableOfType(ThrottledException.class,
				() -> second.check(LoginThrottle.password("alice", "10.0.0.1")));
		assertThat(refused).isNotNull();
		assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5));
		assertThatNoException().isThrownBy(() -> second.check(LoginThrottle.password("bob", "10.0.0.2")));
		assertThatNoException().as("alice elsewhere")
			.isThrownBy(() -> second.check(LoginThrottle.password("alice", "10.0.0.2")));
	}

	@Test
	void checkWhenWindowPassedThenAllowedAgain() {
		LoginThrottle throttle = throttle();
		LoginThrottle.Key address = LoginThrottle.address("10.0.0.1");
		for (int i = 0; i < 5; i++) {
			throttle.failed(address);
		}
		assertThat(catchThrowableOfType(ThrottledException.class, () -> throttle.check(address))).isNotNull();
		this.clock.advance(Duration.ofMinutes(1));
		assertThatNoException().as("one failure's worth refilled after a fifth of the window")
			.isThrownBy(() -> throttle.check(address));
	}

	@Test
	void checkWhenDisabledThenNeverThrottled() {
		LoginThrottle throttle = new LoginThrottle(redis.started(this.clock)::proxyManager,
				new ThrottlePolicy(false, 1, 1, 1, 1, Duration.ofMinutes(5)), this.prefix);
		LoginThrottle.Key key = LoginThrottle.client("c", "10.0.0.1");
		throttle.failed(key);
		throttle.failed(key);
		assertThatNoException().isThrownBy(() -> throttle.check(key));
	}

	private LoginThrottle throttle() {
		return new LoginThrottle(redis.started(this.clock)::proxyManager, SETTINGS, this.prefix);
	}

}
