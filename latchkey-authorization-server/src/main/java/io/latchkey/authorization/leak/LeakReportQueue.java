package io.latchkey.authorization.leak;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * Where reports are worked off the request thread: one thread, and a bounded queue of
 * waiting work. A request only validates and enqueues, so that its answer and its time
 * are the same whatever the reported strings were; the lookups, revocations and notices
 * happen here. When the queue is full new work is refused at once (the public endpoint
 * then answers 503 with {@code Retry-After} and the reporter sends it again), never
 * queued without bound. Reports and their notices wait on two such queues, so that a slow
 * notice never holds up a revocation. Work still queued at shutdown is given a few
 * seconds, then dropped.
 *
 * @since 0.1
 */
public final class LeakReportQueue implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LeakReportQueue.class);

	private final ThreadPoolExecutor worker;

	/**
	 * @param capacity how much work may wait
	 */
	public LeakReportQueue(int capacity) {
		this(capacity, "latchkey-leak-reports");
	}

	/**
	 * @param capacity how much work may wait
	 * @param name the worker thread's name
	 */
	public LeakReportQueue(int capacity, String name) {
		Assert.isTrue(capacity > 0, "capacity must be positive");
		Assert.hasText(name, "name cannot be empty");
		this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
				(task) -> {
					Thread thread = new Thread(task, name);
					thread.setDaemon(true);
					return thread;
				}, new ThreadPoolExecutor.AbortPolicy());
	}

	/**
	 * Queues work.
	 * @param work what to do
	 * @return false if the queue is full (or closed): nothing was queued
	 */
	public boolean offer(Runnable work) {
		try {
			this.worker.execute(() -> {
				try {
					work.run();
				}
				catch (RuntimeException ex) {
					logger.warn("A leak report could not be handled: " + ex.getClass().getSimpleName());
				}
			});
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	/** Work waiting, not counting what runs now. */
	public int waiting() {
		return this.worker.getQueue().size();
	}

	@Override
	public void close() {
		this.worker.shutdown();
		try {
			if (!this.worker.awaitTermination(5, TimeUnit.SECONDS)) {
				this.worker.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			this.worker.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

}
