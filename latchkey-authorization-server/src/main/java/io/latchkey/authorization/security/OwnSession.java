package io.latchkey.authorization.security;

import io.latchkey.authorization.owner.OwnerDirectory;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/**
 * A password change ends the user's other portal sessions (their stamp no longer matches,
 * see {@link LiveSessionFilter}); the session that made the change is kept by taking on
 * the new stamp.
 */
public final class OwnSession {

	private final OwnerDirectory owners;

	public OwnSession(OwnerDirectory owners) {
		this.owners = owners;
	}

	/**
	 * Lets the request's own session, if it has one, survive the password change it just
	 * made.
	 */
	public void keep(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (request.getSession(false) == null || !(authentication instanceof UsernamePasswordAuthenticationToken)
				|| !(authentication.getPrincipal() instanceof LatchkeyUser user)) {
			return;
		}
		this.owners.ownerState(user.getUsername()).ifPresent((current) -> {
			LatchkeyUser renewed = new LatchkeyUser(user.getUsername(), "", true, user.getAuthorities(), user.uid(),
					current.stamp(), user.signedInAt());
			UsernamePasswordAuthenticationToken refreshed = UsernamePasswordAuthenticationToken.authenticated(renewed,
					null, authentication.getAuthorities());
			refreshed.setDetails(authentication.getDetails());
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(refreshed);
			SecurityContextHolder.setContext(context);
			request.getSession()
				.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, context);
		});
	}

}
