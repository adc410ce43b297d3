package io.latchkey.authorization.security;

import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.access.RightsCatalog;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Turns the request's {@link Authentication} into the {@link Actor} the services check:
 * its rights are the authorities of this request (never the factors), and its password
 * time is the password factor's, which a bearer token never has. Controllers take an
 * {@code Actor} parameter.
 */
public final class Actors implements HandlerMethodArgumentResolver {

	public static Actor of(Authentication authentication) {
		Set<String> rights = authentication.getAuthorities()
			.stream()
			.filter((authority) -> !(authority instanceof FactorGrantedAuthority))
			.map(GrantedAuthority::getAuthority)
			.filter((authority) -> !RightsCatalog.SELF_SCOPE.equals(authority))
			.collect(Collectors.toSet());
		return new Actor(authentication.getName(), rights, passwordVerifiedAt(authentication));
	}

	private static @Nullable Instant passwordVerifiedAt(Authentication authentication) {
		if (authentication instanceof BearerTokenAuthentication) {
			return null;
		}
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (authority instanceof FactorGrantedAuthority factor
					&& FactorGrantedAuthority.PASSWORD_AUTHORITY.equals(factor.getAuthority())) {
				return factor.getIssuedAt();
			}
		}
		return null;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return Actor.class.equals(parameter.getParameterType());
	}

	@Override
	public Actor resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest, @Nullable WebDataBinderFactory binderFactory) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null) {
			throw new IllegalStateException("An Actor is only available to authenticated requests");
		}
		return of(authentication);
	}

}
