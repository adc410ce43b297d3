package io.latchkey.authorization.notice;

import org.jspecify.annotations.Nullable;

/**
 * A way notices are delivered (e-mail, a webhook): of expiry, unused tokens about to be
 * revoked, token requests, new addresses and tokens reported as leaked.
 */
@FunctionalInterface
public interface NoticeChannel {

	/**
	 * Delivers the notice, or does nothing if it has nowhere to go (no e-mail address).
	 * @return what was done, for the audit log ({@code "mail:2"}), or null if nothing
	 * @throws Exception if it could not be delivered: the notice is tried again later
	 */
	String deliver(ExpiryNotice notice) throws Exception;

	/**
	 * Delivers a notice about a token request; by default nowhere.
	 * @return what was done, for the audit log, or null if nothing
	 * @throws Exception if it could not be delivered
	 */
	default @Nullable String deliver(RequestNotice notice) throws Exception {
		return null;
	}

	/**
	 * Delivers a notice that a token was used from a new address; by default nowhere.
	 * @param notice the notice
	 * @return what was done, for the audit log, or null if nothing
	 * @throws Exception if it could not be delivered
	 */
	default @Nullable String deliver(NewAddressNotice notice) throws Exception {
		return null;
	}

	/**
	 * Delivers the notice of a token reported as leaked and revoked, or does nothing if
	 * it has nowhere to go. A channel of the application's own that does not override
	 * this delivers none.
	 * @return what was done, for the audit log, or null if nothing
	 * @throws Exception if it could not be delivered
	 */
	default @Nullable String deliver(LeakNotice notice) throws Exception {
		return null;
	}

	/**
	 * Delivers the notice that an unused token is about to be revoked, or does nothing if
	 * it has nowhere to go. A channel that does not know this notice delivers nothing.
	 * @return what was done, for the audit log, or null if nothing
	 * @throws Exception if it could not be delivered: the notice is tried again later
	 */
	default @Nullable String deliver(UnusedNotice notice) throws Exception {
		return null;
	}

}
