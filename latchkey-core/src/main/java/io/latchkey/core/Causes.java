package io.latchkey.core;

import org.jspecify.annotations.Nullable;

/**
 * What a failure was caused by: the one walk down a cause chain that the error handlers
 * of both libraries share (a storage failure becomes a 503 wherever it surfaces).
 *
 * @since 0.1
 */
public final class Causes {

	private Causes() {
	}

	/**
	 * The failure itself or its first cause of this type.
	 * @param failure what was thrown
	 * @param type the kind of cause sought
	 * @param <T> the kind of cause sought
	 * @return that cause, or {@code null} if none in the chain is one
	 */
	public static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	/**
	 * Whether the failure itself or any of its causes is of this type.
	 * @param failure what was thrown
	 * @param type the kind of cause sought
	 * @return whether the chain holds one
	 */
	public static boolean isCausedBy(Throwable failure, Class<? extends Throwable> type) {
		return find(failure, type) != null;
	}

}
