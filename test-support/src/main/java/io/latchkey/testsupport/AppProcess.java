package io.latchkey.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spring Boot app run from its executable jar as a separate process, as it is deployed.
 */
public final class AppProcess implements AutoCloseable {

	private static final HttpClient http = HttpClient.newHttpClient();

	private final String name;

	private final int port;

	private final int managementPort;

	private final Path log;

	private final List<String> command;

	private String readyPath = "/actuator/health";

	private Process process;

	public AppProcess(String name, Path jar, int port, Path log, List<String> arguments) {
		this(name, jar, port, -1, log, arguments);
	}

	/** With {@code managementPort} > 0, the actuator listens there, on 127.0.0.1 only. */
	public AppProcess(String name, Path jar, int port, int managementPort, Path log, List<String> arguments) {
		this.name = name;
		this.port = port;
		this.managementPort = managementPort;
		this.log = log;
		this.command = new ArrayList<>();
		this.command.add(ProcessHandle.current().info().command().orElse("java"));
		this.command.add("-Xmx384m");
		this.command.add("-XX:TieredStopAtLevel=1");
		this.command.add("-jar");
		this.command.add(jar.toString());
		this.command.add("--server.port=" + port);
		if (managementPort > 0) {
			this.command.add("--management.server.port=" + managementPort);
			this.command.add("--management.server.address=127.0.0.1");
			this.command.add("--management.endpoints.web.exposure.include=health,info,metrics");
		}
		this.command.addAll(arguments);
	}

	/**
	 * The path that answers 200 once the app is ready (by default
	 * {@code /actuator/health}).
	 */
	public AppProcess readyWhen(String path) {
		this.readyPath = path;
		return this;
	}

	/** Starts the process and returns once its ready path answers 200. */
	public AppProcess start() {
		try {
			Files.createDirectories(this.log.getParent());
			this.process = new ProcessBuilder(this.command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.to(this.log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						this.name + " exited with " + this.process.exitValue() + "; see " + this.log);
			}
			if (healthy()) {
				return this;
			}
			try {
				this.process.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		throw new IllegalStateException(this.name + " did not become healthy in 120 s; see " + this.log);
	}

	private boolean healthy() {
		try {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(managementUrl(this.readyPath)))
				.timeout(Duration.ofSeconds(2))
				.build(), HttpResponse.BodyHandlers.ofString());
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

	public String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	/**
	 * The actuator's address: the management port if the app has one, else the main port.
	 */
	public String managementUrl(String path) {
		return (this.managementPort > 0) ? "http://127.0.0.1:" + this.managementPort + path : url(path);
	}

	public Path log() {
		return this.log;
	}

	@Override
	public void close() {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
