package io.latchkey.testsupport;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** What the libraries' context-runner tests share. */
public final class ContextRunners {

	private ContextRunners() {
	}

	/**
	 * The messages of a failure and all of its causes, one per line: where a start-up
	 * error names the property at fault.
	 * @param failure why a context did not start
	 * @return the messages
	 */
	public static String messages(Throwable failure) {
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
