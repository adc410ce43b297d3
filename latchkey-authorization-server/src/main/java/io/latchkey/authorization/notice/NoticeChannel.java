package io.latchkey.authorization.notice;

/** A way expiry notices are delivered (e-mail, a webhook). */
@FunctionalInterface
public interface NoticeChannel {

	/**
	 * Delivers the notice, or does nothing if it has nowhere to go (no e-mail address).
	 * @return what was done, for the audit log ({@code "mail:2"}), or null if nothing
	 * @throws Exception if it could not be delivered: the notice is tried again later
	 */
	String deliver(ExpiryNotice notice) throws Exception;

}
