package io.latchkey.authorization.web;

import java.util.ArrayList;
import java.util.List;

import io.latchkey.authorization.support.Page;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * A page of a list as an HTTP answer: the items as a JSON array, {@code X-Total-Count},
 * and an RFC 8288 {@code Link} header with {@code first}, {@code prev}, {@code next} and
 * {@code last} (GitHub's way), so that clients that read arrays keep working. The links
 * carry the page and its size only, never another parameter of the request: nothing a
 * caller sends is echoed into a header.
 */
public final class PageResponses {

	private PageResponses() {
	}

	public static <T> ResponseEntity<List<T>> of(Page<T> page) {
		int number = page.request().page();
		int last = page.lastPage();
		List<String> links = new ArrayList<>();
		links.add(link(1, page, "first"));
		if (number > 1) {
			links.add(link(Math.min(number - 1, last), page, "prev"));
		}
		if (number < last) {
			links.add(link(number + 1, page, "next"));
		}
		links.add(link(last, page, "last"));
		return ResponseEntity.ok()
			.header(HttpHeaders.LINK, String.join(", ", links))
			.header("X-Total-Count", Integer.toString(page.total()))
			.body(page.items());
	}

	private static String link(int number, Page<?> page, String rel) {
		String uri = ServletUriComponentsBuilder.fromCurrentRequestUri()
			.replaceQuery(null)
			.queryParam("page", number)
			.queryParam("size", page.request().size())
			.build()
			.toUriString();
		return "<" + uri + ">; rel=\"" + rel + "\"";
	}

}
