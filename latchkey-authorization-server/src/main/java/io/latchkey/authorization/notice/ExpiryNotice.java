package io.latchkey.authorization.notice;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One expiry notice: which token (id, hint, description, never its value), whose, who
 * generated it, when it expires, the stage ({@code daysBefore} its expiry; 0 when it has
 * expired), and the e-mail addresses of its owner and (when somebody else generated it)
 * its creator.
 */
public record ExpiryNotice(String tokenId, String hint, @Nullable String description, String owner, String createdBy,
		Instant expiresAt, int daysBefore, List<String> recipients) {

	public ExpiryNotice {
		recipients = List.copyOf(recipients);
	}

	public boolean expired() {
		return this.daysBefore == 0;
	}

	/**
	 * "token.expiring" or "token.expired": the notice's type in webhooks and the audit
	 * log.
	 */
	public String type() {
		return expired() ? "token.expired" : "token.expiring";
	}

	/** One line saying what happens, for a subject line. */
	public String headline() {
		String name = (this.description != null)
				? "\"" + this.description.replaceAll("\\p{Cntrl}", " ") + "\" (" + this.hint + ")" : this.hint;
		if (expired()) {
			return "Access token " + name + " has expired";
		}
		return "Access token " + name + " expires in " + this.daysBefore + ((this.daysBefore == 1) ? " day" : " days");
	}

}
