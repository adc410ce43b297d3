package io.latchkey.authorization.signals;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where streams and their undelivered events are kept, shared by every instance and kept
 * across restarts. Each stream keeps at most a given number of events, oldest dropped
 * first; a stream that dropped any is marked until its receiver has acknowledged every
 * event it still holds.
 *
 * @since 0.1
 */
public interface SignalStreams {

	/** The receiver's stream, if it has one. */
	Optional<SignalStream> find(String receiver);

	/**
	 * Keeps a new stream.
	 * @return {@code false} if the receiver has one already (nothing changes)
	 */
	boolean create(SignalStream stream);

	/**
	 * Replaces the receiver's stream.
	 * @return {@code false} if it has none any more (nothing is kept)
	 */
	boolean replace(SignalStream stream);

	/**
	 * Forgets the receiver's stream and its events.
	 * @return whether it had one
	 */
	boolean delete(String receiver);

	/**
	 * Keeps one event for the receiver, dropping the oldest if the stream is full.
	 * @param receiver whose stream
	 * @param jti the event's id
	 * @param set the signed event
	 * @param maxEvents the most events the stream keeps
	 * @return {@code true} when this dropped events from a stream that had lost none
	 * since its receiver last caught up: the receiver must be told
	 */
	boolean append(String receiver, String jti, String set, int maxEvents);

	/** Up to {@code max} undelivered events, oldest first. */
	List<Pending> pending(String receiver, int max);

	/** Forgets the events with these ids (delivered). */
	void acknowledge(String receiver, Collection<String> jtis);

	/** Forgets every kept event (a disabled stream). */
	void clear(String receiver);

	/**
	 * Takes the right to push the receiver's events for a while, so that one instance at
	 * a time does.
	 * @param owner who takes it
	 * @param ttl how long it is held unless renewed
	 * @return whether {@code owner} now holds it
	 */
	boolean lease(String receiver, String owner, Duration ttl);

	/**
	 * One undelivered event.
	 *
	 * @param jti its id
	 * @param set the signed event
	 */
	record Pending(String jti, String set) {

	}

}
