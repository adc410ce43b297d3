package io.latchkey.authorization.event;

import io.latchkey.core.event.LatchkeyEvent;

import org.springframework.dao.DataAccessException;

/**
 * Announces what resource services must forget (a revoked token, a disabled user, changed
 * rights). Called after the change itself was acknowledged by the store (and also when the store
 * failed to acknowledge it, see {@link #publishDespite}), and before it is audited: an event is
 * never lost to an audit write.
 */
@FunctionalInterface
public interface EventPublisher {

	void publish(LatchkeyEvent event);

	/**
	 * Publishes {@code event} although the change it announces failed in storage, and answers
	 * that failure for the caller to rethrow (as a 503). A write may stand on the Redis primary
	 * without being acknowledged (its replicas did not confirm it in time), so what it touched
	 * must leave every cache either way; dropping cached answers is always safe. A failure to
	 * publish (Redis away altogether) is kept as suppressed.
	 */
	default DataAccessException publishDespite(DataAccessException failure, LatchkeyEvent event) {
		try {
			publish(event);
		}
		catch (RuntimeException ex) {
			failure.addSuppressed(ex);
		}
		return failure;
	}

}
