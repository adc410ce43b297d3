package io.latchkey.authorization.notice;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One notice that a token is about to be revoked because nobody used it: which token (id,
 * hint, description, never its value), whose, who generated it, when it was last used
 * ({@code null}: never), when it is revoked unless it is used, the stage ({@code before}
 * the revocation), and the e-mail addresses of its owner and (when somebody else
 * generated it) its creator.
 *
 * @since 0.1
 */
public record UnusedNotice(String tokenId, String hint, @Nullable String description, String owner, String createdBy,
		@Nullable Instant lastUsedAt, Instant revokesAt, Duration before, List<String> recipients) {

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

	public UnusedNotice {
		recipients = List.copyOf(recipients);
	}

	/** "token.unused": the notice's type in webhooks and the audit log. */
	public String type() {
		return "token.unused";
	}

	/** One line saying what happens, for a subject line. */
	public String headline() {
		String name = (this.description != null)
				? "\"" + this.description.replaceAll("\\p{Cntrl}", " ") + "\" (" + this.hint + ")" : this.hint;
		return "Access token " + name + " will be revoked on " + DAY.format(this.revokesAt) + " unless it is used";
	}

}
