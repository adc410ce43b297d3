package io.latchkey.authorization.leak;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The report queue is bounded: when full, new work is refused at once, never queued. */
class LeakReportQueueTests {

	@Test
	void offerWhenQueueFullThenRefusedAndTakenAgainOnceWorked() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		try (LeakReportQueue queue = new LeakReportQueue(1)) {
			assertThat(queue.offer(() -> {
				started.countDown();
				await(release);
			})).isTrue();
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
			CountDownLatch second = new CountDownLatch(1);
			assertThat(queue.offer(second::countDown)).as("waits in the queue").isTrue();
			assertThat(queue.offer(() -> {
			})).as("the queue is full").isFalse();
			release.countDown();
			assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(queue.offer(() -> {
			})).isTrue();
		}
	}

	@Test
	void offerWhenWorkFailsThenTheWorkerGoesOn() throws Exception {
		CountDownLatch after = new CountDownLatch(1);
		try (LeakReportQueue queue = new LeakReportQueue(4)) {
			queue.offer(() -> {
				throw new IllegalStateException("boom");
			});
			queue.offer(after::countDown);
			assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
