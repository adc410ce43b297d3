package io.latchkey.authorization.event;

/**
 * Who did what to whom, for people to read later. Token ids and hints only, never token
 * values, never passwords. Recording never fails the change it records: an implementation
 * that cannot write logs the loss instead of throwing.
 */
@FunctionalInterface
public interface AuditLog {

	/** Records {@code type} done by {@code actor}; {@code details} alternate names and values. */
	void record(String type, String actor, String... details);

}
