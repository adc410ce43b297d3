package io.latchkey.authorization.notice;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One notice that a token was used from a new address: which token (id, hint,
 * description, never its value), whose, who generated it, the address and its network,
 * when, and the e-mail addresses of its owner and (when somebody else generated it) its
 * creator.
 *
 * @param tokenId the token's public id
 * @param hint the part of the token lists show
 * @param description the token's description, if any
 * @param owner the token's owner
 * @param createdBy who generated it
 * @param address the client address it was used from
 * @param network the address's network ({@code 203.0.113.0/24})
 * @param usedAt when it was used
 * @param recipients the e-mail addresses told
 * @since 0.1
 */
public record NewAddressNotice(String tokenId, String hint, @Nullable String description, String owner,
		String createdBy, String address, String network, Instant usedAt, List<String> recipients) {

	/** The notice's type in webhooks and the audit log. */
	public static final String TYPE = "token.new_address";

	public NewAddressNotice {
		recipients = List.copyOf(recipients);
	}

	/** One line saying what happened, for a subject line. */
	public String headline() {
		String name = (this.description != null)
				? "\"" + this.description.replaceAll("\\p{Cntrl}", " ") + "\" (" + this.hint + ")" : this.hint;
		return "Access token " + name + " was used from a new address, " + this.address;
	}

}
