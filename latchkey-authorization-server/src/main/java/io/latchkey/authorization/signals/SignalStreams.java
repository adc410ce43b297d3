package io.latchkey.authorization.signals;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where streams and their undelivered events are kept, shared by every instance and kept
 * across restarts. Each stream keeps at most a given number of events, oldest dropped
 * first; a stream that dropped any (or whose event could not be kept) is marked lost,
 * apart from its events so that no cap ever drops the mark, until its receiver
 * acknowledges the {@code stream-updated} notice the mark names.
 *
 * @since 0.1
 */
public interface SignalStreams {

	/** How the id of every {@code stream-updated} notice of lost events begins. */
	String LOST_NOTICE_PREFIX = "stream-updated-";

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
	 * @return {@code true} when this dropped events from a stream not marked lost (now it
	 * is, and its receiver is given the notice of {@link #lost} until it acknowledges it)
	 */
	boolean append(String receiver, String jti, String set, int maxEvents);

	/** Up to {@code max} undelivered events, oldest first. */
	List<Pending> pending(String receiver, int max);

	/**
	 * The id of the {@code stream-updated} notice the receiver is owed because events
	 * were lost, if it is owed one: given before any event, until acknowledged.
	 */
	Optional<String> lost(String receiver);

	/**
	 * Marks the receiver's stream as having lost events (one could not be kept), under a
	 * new notice: acknowledging a notice given before this loss does not clear it.
	 */
	void markLost(String receiver);

	/**
	 * Forgets the events with these ids (delivered); acknowledging the notice of
	 * {@link #lost} clears the mark.
	 */
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

	/** Gives up the right to push, if {@code owner} still holds it. */
	void release(String receiver, String owner);

	/**
	 * Claims the receiver's next verification event, at most one per {@code interval}
	 * across instances.
	 * @param receiver the receiver's client id
	 * @param interval the least time between two verification events
	 * @return zero when claimed, else how long until the next may be
	 */
	Duration claimVerification(String receiver, Duration interval);

	/**
	 * One undelivered event.
	 *
	 * @param jti its id
	 * @param set the signed event
	 */
	record Pending(String jti, String set) {

	}

}
