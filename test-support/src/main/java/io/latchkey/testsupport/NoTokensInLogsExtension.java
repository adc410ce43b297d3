package io.latchkey.testsupport;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (auto-detected): after each class, no log event
 * captured so far in the run may contain anything shaped like a token value, valid
 * checksum or not. The last class to finish has therefore checked the logs of the whole
 * run.
 */
public class NoTokensInLogsExtension implements AfterAllCallback {

	/**
	 * A prefix, an underscore and 36 base62 characters, standing alone: a run of that
	 * shape inside a longer base64url string (an authorization code Spring Security logs
	 * in a redirect at DEBUG) is not a token.
	 */
	public static final Pattern TOKEN_SHAPE = Pattern
		.compile("(?<![0-9A-Za-z_-])[a-z][a-z0-9]{1,9}_[0-9A-Za-z]{36}(?![0-9A-Za-z])");

	@Override
	public void afterAll(ExtensionContext context) {
		List<String> leaks = leaksIn(CapturedLogs.events());
		if (!leaks.isEmpty()) {
			throw new AssertionError("Token values appeared in the logs: " + leaks.size() + " event(s), the first: "
					+ leaks.get(0).substring(0, Math.min(300, leaks.get(0).length())));
		}
	}

	public static List<String> leaksIn(List<String> events) {
		return events.stream().filter((event) -> TOKEN_SHAPE.matcher(event).find()).toList();
	}

}
