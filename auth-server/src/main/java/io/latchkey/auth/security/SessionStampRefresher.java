package io.latchkey.auth.security;

import io.latchkey.auth.user.DirectoryStore;
import io.latchkey.auth.user.OwnSession;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;

/** Takes the new password stamp into the current session, so that only the other sessions end. */
@Component
class SessionStampRefresher implements OwnSession {

	private final DirectoryStore directory;

	SessionStampRefresher(DirectoryStore directory) {
		this.directory = directory;
	}

	@Override
	public void keep(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (request.getSession(false) == null || !(authentication instanceof UsernamePasswordAuthenticationToken)
				|| !(authentication.getPrincipal() instanceof LatchkeyUser user)) {
			return;
		}
		this.directory.find(user.getUsername()).ifPresent((current) -> {
			LatchkeyUser renewed = new LatchkeyUser(user.getUsername(), "", true, user.getAuthorities(), user.uid(),
					current.stamp(), user.signedInAt());
			UsernamePasswordAuthenticationToken refreshed = UsernamePasswordAuthenticationToken.authenticated(renewed,
					null, authentication.getAuthorities());
			refreshed.setDetails(authentication.getDetails());
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(refreshed);
			SecurityContextHolder.setContext(context);
			request.getSession().setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
					context);
		});
	}

}
