package io.latchkey.authorization.event;

import org.jspecify.annotations.Nullable;

/**
 * Who did what to whom, for people to read later. Token ids and hints only, never token
 * values, never passwords. Recording never fails the change it records: an implementation
 * that cannot write logs the loss instead of throwing. Failed and throttled attempts,
 * which anyone can cause, go through {@link #attempt}: an implementation summarises them
 * apart from the lifecycle trail (tokens, users, groups), so that guessing never trims
 * that trail.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface AuditLog {

	/**
	 * Records {@code type} done by {@code actor}.
	 * @param type what happened ({@code token.created})
	 * @param actor who did it
	 * @param details names and values, alternating
	 */
	void record(String type, String actor, String... details);

	/**
	 * Counts a failed or throttled attempt ({@code signin.failed},
	 * {@code client.throttled}). By default a record like any other; Latchkey's own log
	 * summarises them, one record per kind, subject, address and window with a count, in
	 * a capped stream of their own.
	 * @param type the kind of attempt
	 * @param subjectField what the subject is ({@code username} or {@code client})
	 * @param subject the username or client id
	 * @param address the client address, if known
	 */
	default void attempt(String type, String subjectField, String subject, @Nullable String address) {
		record(type, subject, subjectField, subject, "address", String.valueOf(address));
	}

}
