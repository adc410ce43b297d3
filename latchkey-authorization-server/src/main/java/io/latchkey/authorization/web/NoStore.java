package io.latchkey.authorization.web;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;

/**
 * The headers of an answer that shows a token string: no cache, no proxy and no browser
 * history may keep it ({@code Cache-Control: no-store}, and {@code Pragma: no-cache} for
 * HTTP/1.0 caches). The API's and the portal's answers share them.
 *
 * @since 0.1
 */
public final class NoStore {

	private NoStore() {
	}

	/**
	 * The headers, for a {@code ResponseEntity}.
	 * @return a fresh copy
	 */
	public static HttpHeaders headers() {
		HttpHeaders headers = new HttpHeaders();
		headers.setCacheControl(CacheControl.noStore());
		headers.setPragma("no-cache");
		return headers;
	}

	/**
	 * Sets the headers on a response being written.
	 * @param response the response
	 */
	public static void apply(HttpServletResponse response) {
		headers().forEach((name, values) -> response.setHeader(name, values.get(0)));
	}

}
