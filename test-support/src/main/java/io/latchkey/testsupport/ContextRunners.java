package io.latchkey.testsupport;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** What the libraries' context-runner tests share. */
public final class ContextRunners {

	private ContextRunners() {
	}

	/**
	 * Asserts that the context does not start with {@code property} set, and that the
	 * failure (or one of its causes) names {@code named}.
	 * @param runner the runner, as the test configured it
	 * @param property {@code name=value}
	 * @param named what the failure must say
	 */
	public static void assertStartupFailsNaming(WebApplicationContextRunner runner, String property, String named) {
		runner.withPropertyValues(property)
			.run((context) -> assertThat(context).as(property)
				.hasFailed()
				.getFailure()
				.satisfies((failure) -> assertThat(messages(failure)).contains(named)));
	}

	/** The messages of a failure and all of its causes, one per line. */
	private static String messages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	/**
	 * An application with nothing of its own: every auto-configuration on the classpath,
	 * chosen as {@code @SpringBootApplication} chooses them, so that a test sees what an
	 * application of the library sees.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	public static class Application {

	}

}
