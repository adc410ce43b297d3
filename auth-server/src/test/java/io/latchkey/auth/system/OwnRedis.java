package io.latchkey.auth.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.latchkey.auth.Http;
import redis.embedded.RedisServer;

/**
 * For tests that stop, restart or pause Redis: a redis-server of their own, and polling
 * with a deadline.
 */
final class OwnRedis {

	private OwnRedis() {
	}

	/** A started redis-server on 127.0.0.1:{@code port}, without persistence. */
	static RedisServer start(int port) {
		try {
			RedisServer server = RedisServer.newRedisServer()
				.port(port)
				.bind("127.0.0.1")
				.setting("save \"\"")
				.setting("appendonly no")
				.build();
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Sends {@code request} until {@code done} holds for its answer, for at most 30
	 * seconds; the last answer.
	 */
	static Http.Response eventually(Supplier<Http.Response> request, Predicate<Http.Response> done) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		Http.Response response = request.get();
		while (!done.test(response) && System.nanoTime() < deadline) {
			Thread.onSpinWait();
			response = request.get();
		}
		return response;
	}

}
