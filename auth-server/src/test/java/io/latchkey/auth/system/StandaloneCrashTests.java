package io.latchkey.auth.system;

import io.latchkey.testsupport.RedisTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code kill -9} of a standalone Redis with AOF persistence (as the embedded default
 * runs), restarted once requests start failing: Redis appends each change to its AOF
 * before it answers, so every acknowledged change is back after the restart.
 */
@DisabledIfEnvironmentVariable(named = "REDIS_TOPOLOGY", matches = "cluster|sentinel",
		disabledReason = "kills a Redis set-up of its own, whatever REDIS_TOPOLOGY says")
class StandaloneCrashTests extends FailoverTests {

	private static final RedisTopology standalone = RedisTopology.newStandalone();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		register(standalone, registry);
	}

	@AfterAll
	static void stop() {
		standalone.stop();
	}

	@Override
	RedisTopology topology() {
		return standalone;
	}

	@Override
	void fault(FailoverBurst burst) {
		int port = standalone.primaryFor(PREFIX);
		standalone.kill(port);
		FailoverBurst.awaitOrFail(burst::sawUnavailable, "requests to fail");
		standalone.restart(port);
	}

}
