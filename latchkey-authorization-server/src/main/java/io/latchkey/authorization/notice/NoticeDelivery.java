package io.latchkey.authorization.notice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.token.PersonalAccessToken;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What every notice about a token shares: who is told (its owner and, when somebody else
 * generated it, its creator), and its delivery on every channel in turn, audited as
 * {@code notice.sent} (with what each channel did, {@code none} if nothing) or, at the
 * first channel that fails, {@code notice.failed} (with the error's class, never its
 * message, which might quote a value). What happens after a failure (a claim released, a
 * retry scheduled, nothing) is the caller's.
 */
final class NoticeDelivery {

	private static final Log logger = LogFactory.getLog(NoticeDelivery.class);

	private NoticeDelivery() {
	}

	/**
	 * The e-mail addresses a notice about a token goes to: its owner's, and its creator's
	 * when somebody else generated it, each once.
	 * @param owners where the addresses are read
	 * @param token the token
	 * @return the addresses known, owner first
	 */
	static List<String> recipients(OwnerDirectory owners, PersonalAccessToken token) {
		List<String> recipients = new ArrayList<>();
		owners.email(token.owner()).ifPresent(recipients::add);
		if (!token.createdBy().equalsIgnoreCase(token.owner())) {
			owners.email(token.createdBy()).filter((email) -> !recipients.contains(email)).ifPresent(recipients::add);
		}
		return recipients;
	}

	/**
	 * Delivers a notice on every channel, then records {@code notice.sent} or
	 * {@code notice.failed}: owner, token id, notice type, the details, then the channels
	 * or the error.
	 * @param channels where it is delivered
	 * @param delivery how one channel delivers it (the channel's method for its type)
	 * @param audit where it is recorded
	 * @param type the notice's type ({@code token.unused})
	 * @param owner the token's owner
	 * @param tokenId the token's id
	 * @param details more of the audit record, as name, value pairs
	 * @return whether every channel delivered it
	 */
	static boolean deliver(List<NoticeChannel> channels, Delivery delivery, AuditLog audit, String type, String owner,
			String tokenId, String... details) {
		List<String> done = new ArrayList<>();
		try {
			for (NoticeChannel channel : channels) {
				String what = delivery.on(channel);
				if (what != null) {
					done.add(what);
				}
			}
		}
		catch (Exception ex) {
			audit.record("notice.failed", "system",
					record(owner, tokenId, type, details, "error", ex.getClass().getSimpleName()));
			logger.warn("Could not deliver the " + type + " notice of token " + tokenId + ": "
					+ ex.getClass().getSimpleName());
			return false;
		}
		audit.record("notice.sent", "system",
				record(owner, tokenId, type, details, "channels", done.isEmpty() ? "none" : String.join(",", done)));
		return true;
	}

	private static String[] record(String owner, String tokenId, String type, String[] details, String last,
			String value) {
		List<String> record = new ArrayList<>(List.of("owner", owner, "token_id", tokenId, "notice", type));
		record.addAll(Arrays.asList(details));
		record.add(last);
		record.add(value);
		return record.toArray(String[]::new);
	}

	/** How a channel delivers one notice. */
	@FunctionalInterface
	interface Delivery {

		/**
		 * @param channel the channel
		 * @return what it did, for the audit log, or null if nothing
		 * @throws Exception if it could not deliver
		 */
		@Nullable String on(NoticeChannel channel) throws Exception;

	}

}
