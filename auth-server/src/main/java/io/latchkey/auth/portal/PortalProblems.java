package io.latchkey.auth.portal;

import io.latchkey.authorization.error.LatchkeyException;
import io.latchkey.authorization.error.NotAllowedException;
import io.latchkey.authorization.error.NotFoundException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * The portal's refusals as pages, never as the API's problem+json: an unknown user, group
 * or token is the 404 page, a refusal of who may do what the 403 page. (Forms show the
 * refusals they expect on the form itself.)
 */
@ControllerAdvice(assignableTypes = { MyTokensController.class, UserTokensController.class, LeakedTokenController.class,
		UserPagesController.class, GroupPagesController.class, PortalController.class,
		TokenInventoryPagesController.class })
@Order(Ordered.HIGHEST_PRECEDENCE)
class PortalProblems {

	/** A refusal as one line for a form: the field at fault first, if one is. */
	static String describe(LatchkeyException ex) {
		return (ex.field() != null) ? ex.field() + ": " + ex.getMessage() : ex.getMessage();
	}

	@ExceptionHandler
	@ResponseStatus(HttpStatus.NOT_FOUND)
	String notFound(NotFoundException ex, Model model) {
		model.addAttribute("detail", ex.getMessage());
		return "error/404";
	}

	@ExceptionHandler
	@ResponseStatus(HttpStatus.FORBIDDEN)
	String notAllowed(NotAllowedException ex, Model model) {
		model.addAttribute("detail", ex.getMessage());
		return "error/403";
	}

	@ExceptionHandler
	@ResponseStatus(HttpStatus.CONFLICT)
	String refused(LatchkeyException ex, Model model) {
		model.addAttribute("detail", describe(ex));
		return "error/409";
	}

}
