package io.latchkey.authorization.signals;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The URLs events may be pushed to, as the administrator allowed them
 * ({@code latchkey.signals.allowed-push-urls}): whole URLs in which {@code *} stands for
 * any characters but {@code /}, {@code ?}, {@code #} and {@code @}. A receiver names its
 * URL, and the server calls it: without this list a receiver could make the server call
 * any address it reaches (server-side request forgery). No pattern, no push.
 *
 * @since 0.1
 */
public final class PushUrls {

	private final List<Pattern> allowed;

	public PushUrls(List<String> patterns) {
		this.allowed = patterns.stream().map(PushUrls::compile).toList();
	}

	/** Whether events may be pushed to this URL. */
	public boolean allows(URI url) {
		String value = url.toString();
		return this.allowed.stream().anyMatch((pattern) -> pattern.matcher(value).matches());
	}

	private static Pattern compile(String pattern) {
		StringBuilder regex = new StringBuilder();
		for (String part : pattern.split("\\*", -1)) {
			if (!regex.isEmpty()) {
				regex.append("[^/?#@]*");
			}
			regex.append(Pattern.quote(part));
		}
		return Pattern.compile(regex.toString());
	}

}
