package io.latchkey.auth;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Polling with a deadline, for what happens off the request thread (notices delivered,
 * uses recorded): reads again every 20 ms until the value is done, and fails after 20
 * seconds.
 */
public final class Eventually {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private Eventually() {
	}

	/** The first value read that is done; fails naming {@code what} if none in time. */
	public static <T> T until(String what, Read<T> read, Predicate<? super T> done) throws Exception {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		T value = read.get();
		while (!done.test(value)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError(
						"Not within " + DEADLINE.toSeconds() + " seconds: " + what + " (last read: " + value + ")");
			}
			Thread.sleep(20);
			value = read.get();
		}
		return value;
	}

	/**
	 * The first value read that is done; fails with the last value read if none in time.
	 */
	public static <T> T until(Read<T> read, Predicate<? super T> done) throws Exception {
		return until("done", read, done);
	}

	/** The first list read that is not empty. */
	public static <T> List<T> found(String what, Read<List<T>> read) throws Exception {
		return until(what, read, (found) -> !found.isEmpty());
	}

	/** A read that may throw. */
	@FunctionalInterface
	public interface Read<T> {

		T get() throws Exception;

	}

}
