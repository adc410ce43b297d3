package io.latchkey.auth.portal;

import java.util.Set;
import java.util.stream.Collectors;

import io.latchkey.authorization.access.RightsCatalog;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every portal page's top bar needs: who is signed in and which menus to show. */
@ControllerAdvice(annotations = Controller.class)
class PortalModel {

	@ModelAttribute("me")
	Me me(Authentication authentication) {
		if (authentication == null || !authentication.isAuthenticated()) {
			return null;
		}
		Set<String> rights = authentication.getAuthorities()
			.stream()
			.filter((authority) -> !(authority instanceof FactorGrantedAuthority))
			.map(GrantedAuthority::getAuthority)
			.collect(Collectors.toSet());
		return new Me(authentication.getName(), rights.contains(RightsCatalog.USERS_MANAGE),
				rights.contains(RightsCatalog.TOKENS_MANAGE), rights.contains(RightsCatalog.AUDIT_READ));
	}

	/** The signed-in user, for the top bar. */
	record Me(String username, boolean managesUsers, boolean managesTokens, boolean readsAudit) {
	}

}
