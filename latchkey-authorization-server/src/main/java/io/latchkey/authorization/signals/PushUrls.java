package io.latchkey.authorization.signals;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The URLs events may be pushed to, as the administrator allowed them
 * ({@code latchkey.signals.allowed-push-urls}). A receiver names its URL, and the server
 * calls it: without this list a receiver could make the server call any address it
 * reaches (server-side request forgery). No pattern, no push.
 * <p>
 * A URL is matched part by part, once parsed, never as a string: the scheme exactly (in
 * lower case); the host in lower case, label by label, where a {@code *} label is exactly
 * one DNS label ({@code [a-z0-9-]+}, so {@code https://10.0.0.*} never matches
 * {@code 10.0.0.5.nip.io}) and a trailing dot is refused; the port exactly, the scheme's
 * default made explicit on both sides, or any port where the pattern's port is {@code *};
 * the path segment by segment, where {@code *} is one segment without {@code %}
 * ({@code [^/%]+}), and {@code .}, {@code ..}, {@code %2F} or {@code %5C} anywhere refuse
 * the URL; no user info, and no query or fragment unless the pattern has that query.
 * Within a label or segment, a {@code *} beside other characters stands for any number of
 * the characters that label or segment allows.
 *
 * @since 0.1
 */
public final class PushUrls {

	private static final Pattern SHAPE = Pattern.compile(
			"([A-Za-z][A-Za-z0-9+.-]*)://(\\[[0-9A-Fa-f:.]+\\]|[^/?#:@\\[\\]]+)(?::(\\d+|\\*))?(/[^?#]*)?(?:\\?([^#]*))?");

	private final List<Allowed> allowed;

	/**
	 * @param patterns the allowed URLs, with {@code *} as described above
	 * @throws IllegalArgumentException if a pattern is not a URL of that shape
	 */
	public PushUrls(List<String> patterns) {
		this.allowed = patterns.stream().map(Allowed::of).toList();
	}

	/** Whether events may be pushed to this URL. */
	public boolean allows(URI url) {
		if (!url.isAbsolute() || url.getRawAuthority() == null || url.getRawUserInfo() != null
				|| url.getRawFragment() != null || url.getHost() == null) {
			return false;
		}
		String host = url.getHost().toLowerCase(Locale.ROOT);
		String path = (url.getRawPath() == null || url.getRawPath().isEmpty()) ? "/" : url.getRawPath();
		if (host.endsWith(".") || numericOtherThanDottedQuad(host) || !safe(path)) {
			return false;
		}
		int port = (url.getPort() != -1) ? url.getPort() : defaultPort(url.getScheme());
		return this.allowed.stream()
			.anyMatch((allowed) -> allowed.matches(url.getScheme(), host, port, path, url.getRawQuery()));
	}

	private static boolean safe(String path) {
		String lower = path.toLowerCase(Locale.ROOT);
		// ';' too: servers that strip path parameters would resolve "..;" as ".."
		if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\") || lower.contains(";")
				|| lower.contains("%3b")) {
			return false;
		}
		for (String segment : path.split("/", -1)) {
			String decoded;
			try {
				decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
			if (decoded.equals(".") || decoded.equals("..")) {
				return false;
			}
		}
		return true;
	}

	/**
	 * A host whose last label is a number but which is not a dotted quad (say
	 * {@code 2130706433} or {@code 127.1}): an address in a form resolvers read as IPv4,
	 * which a host wildcard must not reach.
	 */
	private static boolean numericOtherThanDottedQuad(String host) {
		String[] labels = host.split("\\.", -1);
		return labels[labels.length - 1].matches("[0-9]+|0x[0-9a-f]*")
				&& !(labels.length == 4 && host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}"));
	}

	private static int defaultPort(@Nullable String scheme) {
		return "http".equals(scheme) ? 80 : "https".equals(scheme) ? 443 : -1;
	}

	/** One allowed URL, parsed. */
	private record Allowed(String scheme, List<Pattern> labels, @Nullable String host, int port, List<Pattern> segments,
			@Nullable Pattern query) {

		static Allowed of(String pattern) {
			Matcher parts = SHAPE.matcher(pattern);
			if (!parts.matches()) {
				throw new IllegalArgumentException("latchkey.signals.allowed-push-urls: '" + pattern
						+ "' is not a URL (scheme://host[:port]/path, without user info or fragment)");
			}
			String scheme = parts.group(1).toLowerCase(Locale.ROOT);
			String host = parts.group(2).toLowerCase(Locale.ROOT);
			boolean literal = host.startsWith("[");
			List<Pattern> labels = literal ? List.of()
					: Arrays.stream(host.split("\\.", -1)).map((label) -> part(label, "[a-z0-9-]")).toList();
			int port = (parts.group(3) == null) ? defaultPort(scheme)
					: parts.group(3).equals("*") ? -1 : Integer.parseInt(parts.group(3));
			String path = (parts.group(4) == null) ? "/" : parts.group(4);
			List<Pattern> segments = Arrays.stream(path.split("/", -1))
				.map((segment) -> part(segment, "[^/%]"))
				.toList();
			Pattern query = (parts.group(5) == null) ? null : part(parts.group(5), "[^&#]");
			return new Allowed(scheme, labels, literal ? host : null, port, segments, query);
		}

		/**
		 * A label or segment: exact, a whole {@code *} at least one allowed character.
		 */
		private static Pattern part(String value, String allowed) {
			if (value.equals("*")) {
				return Pattern.compile(allowed + "+");
			}
			StringBuilder regex = new StringBuilder();
			for (String piece : value.split("\\*", -1)) {
				if (!regex.isEmpty()) {
					regex.append(allowed).append('*');
				}
				regex.append(Pattern.quote(piece));
			}
			return Pattern.compile(regex.toString());
		}

		boolean matches(String scheme, String host, int port, String path, @Nullable String query) {
			if (!this.scheme.equals(scheme) || (this.port != -1 && this.port != port)) {
				return false;
			}
			if (this.host != null ? !this.host.equals(host) : !all(this.labels, host.split("\\.", -1))) {
				return false;
			}
			if (!all(this.segments, path.split("/", -1))) {
				return false;
			}
			return (this.query == null) ? query == null : query != null && this.query.matcher(query).matches();
		}

		private static boolean all(List<Pattern> patterns, String[] values) {
			if (patterns.size() != values.length) {
				return false;
			}
			for (int i = 0; i < values.length; i++) {
				if (!patterns.get(i).matcher(values[i]).matches()) {
					return false;
				}
			}
			return true;
		}

	}

}
