package io.latchkey.authorization.notice;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.util.Assert;

/**
 * Notices by e-mail through Spring Boot's {@code spring.mail.*} sender, to the token's
 * owner and (when an administrator generated it) its creator. Plain text: what expires
 * (or is about to be revoked unused), when, and where to rotate (or revoke) it; where a
 * token was used from that it had not been used from before, and where to revoke it; or
 * which token was reported as leaked, by whom, where it was found, and that it no longer
 * works.
 */
public final class MailNotices implements NoticeChannel {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final MailSender mail;

	private final String from;

	private final @Nullable String portalUrl;

	public MailNotices(MailSender mail, String from, @Nullable String portalUrl) {
		Assert.notNull(mail, "mail cannot be null");
		Assert.hasText(from, "from cannot be empty");
		this.mail = mail;
		this.from = from;
		this.portalUrl = portalUrl;
	}

	@Override
	public @Nullable String deliver(ExpiryNotice notice) {
		return send(notice.recipients(), notice.headline(), body(notice));
	}

	@Override
	public @Nullable String deliver(RequestNotice notice) {
		return send(notice.recipients(), notice.headline(), body(notice));
	}

	@Override
	public @Nullable String deliver(NewAddressNotice notice) {
		return send(notice.recipients(), notice.headline(), body(notice));
	}

	private @Nullable String send(List<String> recipients, String subject, String text) {
		if (recipients.isEmpty()) {
			return null;
		}
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(this.from);
		message.setTo(recipients.toArray(String[]::new));
		message.setSubject(subject);
		message.setText(text);
		this.mail.send(message);
		return "mail:" + recipients.size();
	}

	private String body(RequestNotice notice) {
		StringBuilder body = new StringBuilder();
		body.append(notice.headline()).append(".\n\n");
		body.append("Request:     ").append(notice.requestId()).append('\n');
		body.append("Requester:   ").append(notice.requester()).append('\n');
		if (notice.description() != null) {
			body.append("Description: ").append(notice.description()).append('\n');
		}
		body.append("Rights:      ")
			.append(notice.rights().isEmpty() ? "all of the requester's"
					: String.join(" ", new TreeSet<>(notice.rights())))
			.append('\n');
		body.append("Because:     ").append(String.join("; ", notice.because())).append('\n');
		if (notice.decidedBy() != null) {
			body.append("Decided by:  ").append(notice.decidedBy()).append('\n');
		}
		if (notice.reason() != null) {
			body.append("Reason:      ").append(notice.reason()).append('\n');
		}
		body.append('\n');
		body.append(switch (notice.type()) {
			case RequestNotice.APPROVED -> "Claim the token before " + TIME.format(notice.claimBy())
					+ " on your Access tokens page; it is shown once, to you only";
			case RequestNotice.DENIED -> "No token was generated";
			default -> "Approve or deny it on the Token requests page, or through the API";
		});
		return portalLink(body);
	}

	private String body(NewAddressNotice notice) {
		StringBuilder body = tokenBlock(notice.headline(), notice.hint(), notice.description(), notice.owner(),
				notice.createdBy());
		body.append("Address:     ")
			.append(notice.address())
			.append(" (network ")
			.append(notice.network())
			.append(")\n");
		body.append("Used:        ").append(TIME.format(notice.usedAt())).append("\n\n");
		body.append("It had not been used from that network recently. If neither you nor an integration of yours "
				+ "uses it from there, revoke it now");
		return portalLink(body);
	}

	@Override
	public @Nullable String deliver(LeakNotice notice) {
		return send(notice.recipients(), notice.headline(), body(notice));
	}

	private String body(LeakNotice notice) {
		StringBuilder body = tokenBlock(notice.headline(), notice.hint(), notice.description(), notice.owner(),
				notice.createdBy());
		body.append("Reported by: ").append(notice.source()).append('\n');
		if (notice.url() != null) {
			body.append("Found at:    ").append(notice.url().replaceAll("\\p{Cntrl}", " ")).append('\n');
		}
		body.append("Revoked:     ").append(TIME.format(notice.revokedAt())).append("\n\n");
		body.append("It no longer works, nor does any token it was rotated into. Generate a new token for the "
				+ "integrations that used it");
		return portalLink(body);
	}

	@Override
	public @Nullable String deliver(UnusedNotice notice) {
		return send(notice.recipients(), notice.headline(), body(notice));
	}

	private String body(UnusedNotice notice) {
		StringBuilder body = tokenBlock(notice.headline(), notice.hint(), notice.description(), notice.owner(),
				notice.createdBy());
		body.append("Last used:   ")
			.append((notice.lastUsedAt() != null) ? TIME.format(notice.lastUsedAt()) : "never")
			.append('\n');
		body.append("Revoked on:  ").append(TIME.format(notice.revokesAt())).append("\n\n");
		body.append("Tokens nobody uses are revoked. Any use before then keeps it; if nothing needs it any more, "
				+ "revoke it yourself");
		return portalLink(body);
	}

	private String body(ExpiryNotice notice) {
		StringBuilder body = tokenBlock(notice.headline(), notice.hint(), notice.description(), notice.owner(),
				notice.createdBy());
		body.append(notice.expired() ? "Expired:     " : "Expires:     ")
			.append(TIME.format(notice.expiresAt()))
			.append("\n\n");
		body.append(notice.expired() ? "Integrations using it now get 401. Generate a new token"
				: "Rotate it before then, so that integrations using it keep working");
		return portalLink(body);
	}

	/**
	 * Starts a token notice: the headline, then the lines that name the token (its hint,
	 * description, owner and creator).
	 */
	private static StringBuilder tokenBlock(String headline, String hint, @Nullable String description, String owner,
			String createdBy) {
		StringBuilder body = new StringBuilder();
		body.append(headline).append(".\n\n");
		body.append("Token:       ").append(hint).append('\n');
		if (description != null) {
			body.append("Description: ").append(description).append('\n');
		}
		body.append("Owner:       ").append(owner).append('\n');
		body.append("Generated by ").append(createdBy).append('\n');
		return body;
	}

	/**
	 * Ends a notice whose last sentence says what to do: with the portal's address when
	 * one is configured, then a full stop.
	 */
	private String portalLink(StringBuilder body) {
		if (this.portalUrl != null) {
			body.append(": ").append(this.portalUrl);
		}
		body.append(".\n");
		return body.toString();
	}

}
