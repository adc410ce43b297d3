package io.latchkey.authorization.notice;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A token was reported as leaked and has been revoked: which token (id, hint,
 * description, never its value), whose, who generated it, who reported it
 * ({@code source}: "a public report", "GitHub secret scanning"), the public URL where it
 * was found if the report named one, when it was revoked, and the e-mail addresses of its
 * owner and (when somebody else generated it) its creator.
 *
 * @param tokenId the token's id
 * @param hint its prefix and last four characters
 * @param description its description, if any
 * @param owner its owner
 * @param createdBy who generated it
 * @param source who reported it, in words
 * @param url where it was found, if the report said
 * @param revokedAt when it was revoked
 * @param recipients the e-mail addresses told
 * @since 0.1
 */
public record LeakNotice(String tokenId, String hint, @Nullable String description, String owner, String createdBy,
		String source, @Nullable String url, Instant revokedAt, List<String> recipients) {

	/** The notice's type in webhooks and the audit log. */
	public static final String TYPE = "token.reported";

	public LeakNotice {
		recipients = List.copyOf(recipients);
	}

	/** {@value #TYPE}. */
	public String type() {
		return TYPE;
	}

	/** One line saying what happened, for a subject line. */
	public String headline() {
		String name = (this.description != null)
				? "\"" + this.description.replaceAll("\\p{Cntrl}", " ") + "\" (" + this.hint + ")" : this.hint;
		return "Access token " + name + " was reported as leaked and has been revoked";
	}

}
