package io.latchkey.authorization.signals;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where streams and their undelivered events are kept, shared by every instance and kept
 * across restarts. Each stream keeps at most a given number of events, oldest dropped
 * first; a stream that dropped any is marked by the notice that tells its receiver, for
 * as long as that notice is kept: once the receiver acknowledged it, or it was dropped in
 * its turn, the next drop asks for a new one.
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
	 * @return {@code true} when this dropped events and the stream holds no notice of
	 * lost events: the receiver must be told ({@link #appendNotice})
	 */
	boolean append(String receiver, String jti, String set, int maxEvents);

	/**
	 * Keeps the event that tells the receiver events were lost, like {@link #append}, and
	 * marks the stream with it.
	 * @param receiver whose stream
	 * @param jti the notice's id
	 * @param set the signed notice
	 * @param maxEvents the most events the stream keeps
	 */
	void appendNotice(String receiver, String jti, String set, int maxEvents);

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
	 * Gives the right to push the receiver's events up, if {@code owner} holds it, so
	 * that another instance need not wait for it to expire.
	 */
	void release(String receiver, String owner);

	/**
	 * One undelivered event.
	 *
	 * @param jti its id
	 * @param set the signed event
	 */
	record Pending(String jti, String set) {

	}

}
