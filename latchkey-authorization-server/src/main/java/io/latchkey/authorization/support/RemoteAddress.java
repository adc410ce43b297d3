package io.latchkey.authorization.support;

import org.jspecify.annotations.Nullable;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** The address of the HTTP request being served, for "last used from". */
public final class RemoteAddress {

	private RemoteAddress() {
	}

	public static @Nullable String current() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			return attributes.getRequest().getRemoteAddr();
		}
		return null;
	}

}
