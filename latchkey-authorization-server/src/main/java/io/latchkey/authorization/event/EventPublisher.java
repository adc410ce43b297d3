package io.latchkey.authorization.event;

import java.util.function.Supplier;

import io.latchkey.core.event.LatchkeyEvent;

import org.springframework.dao.DataAccessException;

/**
 * Announces what resource services must forget (a revoked token, a disabled user, changed
 * rights). Called after the change itself was acknowledged by the store (and also when
 * the store failed to acknowledge it, see {@link #publishDespite}), and before it is
 * audited: an event is never lost to an audit write.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface EventPublisher {

	/**
	 * Announces a change to every instance and resource service.
	 * @param event what changed
	 */
	void publish(LatchkeyEvent event);

	/**
	 * Runs a write whose change {@code event} announces; if the store fails it, publishes
	 * the event all the same (see {@link #publishDespite}) and rethrows. On success the
	 * caller publishes, once it knows the write changed anything.
	 * @param event what the write changes
	 * @param write the write
	 * @param <T> what the write answers
	 * @return what the write answered
	 */
	default <T> T publishIfWriteFails(LatchkeyEvent event, Supplier<T> write) {
		try {
			return write.get();
		}
		catch (DataAccessException ex) {
			throw publishDespite(ex, event);
		}
	}

	/**
	 * Publishes {@code event} although the change it announces failed in storage, and
	 * answers that failure for the caller to rethrow (as a 503). A write may stand on the
	 * Redis primary without being acknowledged (its replicas did not confirm it in time),
	 * so what it touched must leave every cache either way; dropping cached answers is
	 * always safe. A failure to publish (Redis away altogether) is kept as suppressed.
	 * @param failure the store's failure
	 * @param event what the failed write changes
	 * @return the failure, to rethrow
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
