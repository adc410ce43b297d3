package io.latchkey.core.servlet;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

import io.latchkey.core.TrustedProxies;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

/**
 * The one client address of a request, before anything else reads it: the peer, or behind
 * a trusted proxy ({@code latchkey.http.trusted-proxies}) the client it forwards for (see
 * {@link TrustedProxies}). The rest of the request sees that address as its remote
 * address, so throttling, the audit trail, recent addresses and allowlists all agree, and
 * never sees the {@code Forwarded} or {@code X-Forwarded-For} headers: no later filter
 * can be talked into another address. Both Latchkey libraries register it first of all
 * filters.
 */
public final class ClientAddressFilter implements Filter {

	private final TrustedProxies proxies;

	public ClientAddressFilter(TrustedProxies proxies) {
		this.proxies = Objects.requireNonNull(proxies, "proxies cannot be null");
	}

	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!(servletRequest instanceof HttpServletRequest request) || request instanceof ClientRequest) {
			chain.doFilter(servletRequest, response);
			return;
		}
		String client = this.proxies.clientAddress(request.getRemoteAddr(), values(request, "Forwarded"),
				values(request, "X-Forwarded-For"));
		chain.doFilter(new ClientRequest(request, client), response);
	}

	private static List<String> values(HttpServletRequest request, String header) {
		Enumeration<String> values = request.getHeaders(header);
		return (values != null) ? Collections.list(values) : List.of();
	}

	/**
	 * The request as the client made it: its address, without the headers that named it.
	 */
	private static final class ClientRequest extends HttpServletRequestWrapper {

		private final String address;

		ClientRequest(HttpServletRequest request, String address) {
			super(request);
			this.address = address;
		}

		@Override
		public String getRemoteAddr() {
			return this.address;
		}

		@Override
		public String getRemoteHost() {
			return this.address;
		}

		@Override
		public @Nullable String getHeader(String name) {
			return hidden(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = Collections.list(super.getHeaderNames());
			names.removeIf(ClientRequest::hidden);
			return Collections.enumeration(names);
		}

		private static boolean hidden(String name) {
			return TrustedProxies.HEADERS.stream().anyMatch(name::equalsIgnoreCase);
		}

	}

}
