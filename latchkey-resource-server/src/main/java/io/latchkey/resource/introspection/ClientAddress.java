package io.latchkey.resource.introspection;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.latchkey.core.AddressRange;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpRequest;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The integration's client address: the remote address of the request being served, which
 * behind a trusted proxy ({@code latchkey.http.trusted-proxies}) is the client it
 * forwards for (see {@link io.latchkey.core.servlet.ClientAddressFilter}), and otherwise
 * the peer's. As an interceptor of the introspection client, it adds that address to
 * every introspection request as {@value AddressRange#CLIENT_ADDRESS_PARAMETER} (RFC 7662
 * §2.1: other context about the request), so that the auth server checks a token's
 * allowlist and records where the token was used.
 */
public final class ClientAddress implements ClientHttpRequestInterceptor {

	/** The remote address of the request this thread serves, or null outside one. */
	public static @Nullable String current() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			return attributes.getRequest().getRemoteAddr();
		}
		return null;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		String address = current();
		if (address == null || !MediaType.APPLICATION_FORM_URLENCODED.includes(request.getHeaders().getContentType())) {
			return execution.execute(request, body);
		}
		byte[] parameter = ("&" + AddressRange.CLIENT_ADDRESS_PARAMETER + "="
				+ URLEncoder.encode(address, StandardCharsets.UTF_8))
			.getBytes(StandardCharsets.UTF_8);
		byte[] withAddress = new byte[body.length + parameter.length];
		System.arraycopy(body, 0, withAddress, 0, body.length);
		System.arraycopy(parameter, 0, withAddress, body.length, parameter.length);
		request.getHeaders().setContentLength(withAddress.length);
		return execution.execute(request, withAddress);
	}

}
