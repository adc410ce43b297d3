package io.latchkey.authorization.autoconfigure;

import java.util.UUID;

import io.latchkey.testsupport.ContextRunners;
import io.latchkey.testsupport.RealRedis;

import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** Context runners for what the dependency alone configures. */
final class ApplicationRunners {

	private ApplicationRunners() {
	}

	/**
	 * An application with nothing of its own on the shared test Redis, under a key prefix
	 * of its own, with the administrator's password set.
	 */
	static WebApplicationContextRunner onRealRedis() {
		return new WebApplicationContextRunner().withUserConfiguration(ContextRunners.Application.class)
			.withPropertyValues("spring.data.redis.url=" + RealRedis.uri(),
					"latchkey.redis.key-prefix=runner-" + UUID.randomUUID(), "latchkey.admin.password=runner-password",
					"latchkey.admin.generated-password-file=target/runner-admin-password");
	}

}
