package io.latchkey.auth.embedded;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import redis.embedded.Redis;

import org.springframework.util.Assert;

/**
 * Starts a redis-server process from its command line (the binary and the configuration
 * file that embedded-redis wrote) and returns it once it reports that it is ready to
 * accept connections, that is after it replayed its append-only file. Its output is read
 * to the end, so that a long-running server never blocks on a full pipe; lines go to the
 * debug log (redis-server never prints passwords).
 */
final class RedisServerLauncher implements EmbeddedRedisSupervisor.Launcher {

	private static final Log logger = LogFactory.getLog("io.latchkey.auth.embedded.redis-server");

	/** Output lines kept for the message of a start that failed. */
	private static final int KEPT_LINES = 10;

	private final List<String> command;

	RedisServerLauncher(List<String> command) {
		Assert.notEmpty(command, "command cannot be empty");
		this.command = List.copyOf(command);
	}

	@Override
	public Process start() throws IOException {
		Process process = new ProcessBuilder(this.command).directory(new File(this.command.get(0)).getParentFile())
			.redirectErrorStream(true)
			.start();
		BufferedReader output = process.inputReader(StandardCharsets.UTF_8);
		Deque<String> last = new ArrayDeque<>();
		for (String line = output.readLine(); line != null; line = output.readLine()) {
			debug(line);
			if (Redis.SERVER_READY_PATTERN.matcher(line).matches()) {
				Thread drain = new Thread(() -> drain(output), "embedded-redis-output");
				drain.setDaemon(true);
				drain.start();
				return process;
			}
			last.addLast(line);
			if (last.size() > KEPT_LINES) {
				last.removeFirst();
			}
		}
		process.destroy();
		throw new IOException("redis-server ended before it was ready to accept connections; its last output: "
				+ String.join(" | ", last));
	}

	private static void drain(BufferedReader output) {
		try (output) {
			for (String line = output.readLine(); line != null; line = output.readLine()) {
				debug(line);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			// the process is gone: its exit is handled by whoever watches it
		}
	}

	private static void debug(String line) {
		if (logger.isDebugEnabled()) {
			logger.debug(line);
		}
	}

}
