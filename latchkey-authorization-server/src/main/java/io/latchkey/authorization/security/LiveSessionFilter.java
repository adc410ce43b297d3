package io.latchkey.authorization.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Portal sessions follow the directory live. On every request that a session
 * authenticates, the user's current state is read (one round trip): a disabled or deleted
 * user, an account re-created under the same name (another uid), a changed password
 * (another stamp) or a session past its absolute lifetime ends the session, and the
 * request goes on unauthenticated (401 on the API, the sign-in page in the portal);
 * changed rights replace the session's authorities from this request on.
 */
public final class LiveSessionFilter extends OncePerRequestFilter {

	private final OwnerDirectory owners;

	private final Duration maxAge;

	private final Clock clock;

	private final SecurityContextRepository sessions = new HttpSessionSecurityContextRepository();

	public LiveSessionFilter(OwnerDirectory owners, Duration maxAge, Clock clock) {
		this.owners = owners;
		this.maxAge = maxAge;
		this.clock = clock;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		HttpSession session = request.getSession(false);
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (session != null && authentication instanceof UsernamePasswordAuthenticationToken
				&& authentication.getPrincipal() instanceof LatchkeyUser user) {
			Optional<OwnerState> state = this.owners.ownerState(user.getUsername());
			if (state.isEmpty() || !isStillValid(user, state.get())) {
				session.invalidate();
				SecurityContextHolder.clearContext();
			}
			else if (!rights(authentication).equals(state.get().rights())) {
				SecurityContext context = SecurityContextHolder.createEmptyContext();
				context.setAuthentication(withRights(authentication, state.get().rights()));
				SecurityContextHolder.setContext(context);
				this.sessions.saveContext(context, request, response);
			}
		}
		chain.doFilter(request, response);
	}

	private boolean isStillValid(LatchkeyUser user, OwnerState state) {
		return state.enabled() && state.uid().equals(user.uid()) && state.stamp().equals(user.stamp())
				&& this.clock.instant().isBefore(user.signedInAt().plus(this.maxAge));
	}

	private static Set<String> rights(Authentication authentication) {
		return authentication.getAuthorities()
			.stream()
			.filter((authority) -> !(authority instanceof FactorGrantedAuthority))
			.map(GrantedAuthority::getAuthority)
			.collect(Collectors.toSet());
	}

	private static Authentication withRights(Authentication authentication, Set<String> rights) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		rights.forEach((right) -> authorities.add(new SimpleGrantedAuthority(right)));
		authentication.getAuthorities()
			.stream()
			.filter(FactorGrantedAuthority.class::isInstance)
			.forEach(authorities::add);
		UsernamePasswordAuthenticationToken refreshed = UsernamePasswordAuthenticationToken
			.authenticated(authentication.getPrincipal(), null, authorities);
		refreshed.setDetails(authentication.getDetails());
		return refreshed;
	}

}
