package io.latchkey.authorization.redis;

import java.time.Clock;

import io.latchkey.testsupport.RealRedis;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

/**
 * Throttle buckets on the shared test Redis, for tests of what counts on them: register
 * it on a static field ({@code @RegisterExtension}); it connects before the class's first
 * test and disconnects after its last.
 */
public final class RealRedisBuckets implements BeforeAllCallback, AfterAllCallback {

	private @Nullable LettuceConnectionFactory connections;

	@Override
	public void beforeAll(ExtensionContext context) {
		this.connections = RealRedis.connectionFactory();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.connections != null) {
			this.connections.destroy();
			this.connections = null;
		}
	}

	/** Started buckets whose refills follow the given clock. */
	public RedisBuckets started(Clock clock) {
		Assert.state(this.connections != null, "not connected: register as an extension");
		RedisBuckets buckets = new RedisBuckets(this.connections, clock);
		buckets.start();
		return buckets;
	}

}
