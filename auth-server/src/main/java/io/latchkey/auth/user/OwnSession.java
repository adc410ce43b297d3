package io.latchkey.auth.user;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A password change ends the user's other portal sessions; the session (if any) that made the
 * change is kept by taking on the new password stamp.
 */
public interface OwnSession {

	/** Lets the request's own session, if it has one, survive the password change it just made. */
	void keep(HttpServletRequest request);

}
