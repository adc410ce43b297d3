package io.latchkey.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Node.js Shared Signals receiver of {@code examples/ssf-receiver-node}, run as its
 * README runs it ({@code node receiver.js} with its settings in the environment), as a
 * process whose output goes to a log file. {@code ./latchkey test} installs Node.js and
 * the example's {@code node_modules} first (bin/node.sh); run from Maven alone, a missing
 * one fails the test saying what to run, rather than the test installing software or
 * reaching a package registry itself.
 */
final class NodeReceiver implements AutoCloseable {

	static final Path EXAMPLE = Path.of("..", "examples", "ssf-receiver-node");

	private static final HttpClient http = HttpClient.newHttpClient();

	private final int port;

	private final Path log;

	private final Process process;

	private NodeReceiver(int port, Path log, Process process) {
		this.port = port;
		this.log = log;
		this.process = process;
	}

	/**
	 * Starts {@code node receiver.js} with this environment (its {@code PORT} among it)
	 * and returns once {@code /health} answers 200: its stream is set up.
	 */
	static NodeReceiver start(int port, Path log, Map<String, String> environment) {
		requireInstalled();
		Process process;
		try {
			Files.createDirectories(log.getParent());
			ProcessBuilder builder = new ProcessBuilder("node", "receiver.js").directory(EXAMPLE.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
			builder.environment().putAll(environment);
			builder.environment().put("PORT", Integer.toString(port));
			process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		NodeReceiver receiver = new NodeReceiver(port, log, process);
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException(
						"the Node receiver exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
			}
			if (receiver.ready()) {
				return receiver;
			}
			try {
				process.waitFor(200, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		receiver.close();
		throw new IllegalStateException("the Node receiver was not ready in 60 s; see " + log.toAbsolutePath());
	}

	/**
	 * Fails, saying what to run, unless {@code node} is on the path and the example's
	 * dependencies are installed.
	 */
	static void requireInstalled() {
		try {
			Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
			assertThat(version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0).as("node --version succeeds")
				.isTrue();
		}
		catch (IOException ex) {
			throw new AssertionError("Node.js is needed for the Node receiver's test and is not on the PATH: "
					+ "./latchkey test installs it (bin/node.sh), or apt-get install nodejs npm", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		assertThat(EXAMPLE.resolve("node_modules/jose/package.json"))
			.as("the Node receiver's dependencies: run npm ci --prefix examples/ssf-receiver-node "
					+ "(./latchkey test does, through bin/node.sh)")
			.exists();
	}

	String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	Path log() {
		return this.log;
	}

	/** What the receiver's output holds so far. */
	List<String> output() {
		try {
			return Files.readAllLines(this.log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private boolean ready() {
		try {
			HttpResponse<Void> response = http.send(
					HttpRequest.newBuilder(URI.create(url("/health"))).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.discarding());
			return response.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
