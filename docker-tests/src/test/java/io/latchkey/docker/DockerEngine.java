package io.latchkey.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Docker engine of the test's own: {@code dockerd} on a socket in a fresh directory,
 * never {@code /var/run/docker.sock}, so that Testcontainers elsewhere in the suite finds
 * no engine (it would try to pull images, and no registry is reachable).
 * {@code DOCKER_HOST} is set for this engine's own subprocesses only. Its images live
 * under {@code target/docker/data-root}, so that a second run reuses the base images and
 * layers.
 * <p>
 * The CLIs are Debian's, chosen explicitly: {@code /usr/bin/docker} (20.10, the engine's
 * version; a newer client elsewhere on the PATH is not used) and {@code docker-compose}
 * (1.29). Output of every command goes to a log file, shown when a command fails.
 */
final class DockerEngine implements AutoCloseable {

	static final Path DOCKERD = Path.of("/usr/sbin/dockerd");

	static final Path DOCKER = Path.of("/usr/bin/docker");

	private final Path home;

	private final Path log;

	private final String host;

	private final Process daemon;

	private DockerEngine(Path home, Path log, Process daemon) {
		this.home = home;
		this.log = log;
		this.host = "unix://" + home.resolve("docker.sock");
		this.daemon = daemon;
	}

	/**
	 * Starts an engine, or answers why none can start here (for a JUnit assumption).
	 * @param dataRoot where its images and volumes live
	 * @param logs where the daemon's and the commands' output go
	 */
	static Start start(Path dataRoot, Path logs) throws IOException, InterruptedException {
		if (!"root".equals(System.getProperty("user.name"))) {
			return new Start(null, "not root: dockerd needs root");
		}
		if (!Files.isExecutable(DOCKERD) || !Files.isExecutable(DOCKER)) {
			return new Start(null, DOCKERD + " or " + DOCKER + " is missing (apt-get install docker.io)");
		}
		Files.createDirectories(dataRoot);
		Files.createDirectories(logs);
		// A short path: the socket's and containerd's paths must fit a unix socket
		// address.
		Path home = Files.createTempDirectory(Path.of("/tmp"), "lkdocker");
		Path daemonLog = logs.resolve("dockerd.log");
		// No default bridge, and networks from a pool of its own, so that it does not
		// meet
		// another engine's docker0 on this machine.
		int pool = ThreadLocalRandom.current().nextInt(64, 128);
		Process daemon = new ProcessBuilder(DOCKERD.toString(), "--host", "unix://" + home.resolve("docker.sock"),
				"--data-root", dataRoot.toString(), "--exec-root", home.resolve("exec").toString(), "--pidfile",
				home.resolve("docker.pid").toString(), "--bridge", "none", "--default-address-pool",
				"base=10." + pool + ".0.0/16,size=24")
			.redirectErrorStream(true)
			.redirectOutput(daemonLog.toFile())
			.start();
		Files.deleteIfExists(logs.resolve("commands.log"));
		DockerEngine engine = new DockerEngine(home, logs.resolve("commands.log"), daemon);
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (Instant.now().isBefore(deadline)) {
			if (!daemon.isAlive()) {
				return new Start(null, "dockerd exited at once (" + daemonLog + "): "
						+ lastLine(Files.readString(daemonLog, StandardCharsets.UTF_8)));
			}
			if (Files.exists(home.resolve("docker.sock")) && engine.tryRun(List.of(DOCKER.toString(), "info")) == 0) {
				return new Start(engine, null);
			}
			daemon.waitFor(200, TimeUnit.MILLISECONDS);
		}
		engine.close();
		return new Start(null, "dockerd did not answer within 60 s (" + daemonLog + ")");
	}

	private static String lastLine(String text) {
		String[] lines = text.strip().split("\n");
		return lines[lines.length - 1];
	}

	String host() {
		return this.host;
	}

	/**
	 * Runs {@code docker ARGS} and answers its standard output; fails with the output.
	 */
	String docker(String... args) {
		List<String> command = new ArrayList<>(List.of(DOCKER.toString()));
		command.addAll(List.of(args));
		return run(command, Map.of(), null);
	}

	/**
	 * Runs a command against this engine with extra environment, from {@code directory}
	 * (or the current one); answers its standard output, fails with its output.
	 */
	String run(List<String> command, Map<String, String> environment, Path directory) {
		Result result = execute(command, environment, directory);
		if (result.exit() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " exited with " + result.exit() + ":\n"
					+ result.stdout() + result.stderr());
		}
		return result.stdout();
	}

	/**
	 * Runs a command against this engine; answers its exit status and output, whatever it
	 * is.
	 */
	Result execute(List<String> command, Map<String, String> environment, Path directory) {
		try {
			Path out = Files.createTempFile(this.home, "out", ".txt");
			Path err = Files.createTempFile(this.home, "err", ".txt");
			ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
				.redirectError(err.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
			if (directory != null) {
				builder.directory(directory.toFile());
			}
			builder.environment().putAll(environment);
			builder.environment().put("DOCKER_HOST", this.host);
			builder.environment().put("DOCKER", DOCKER.toString());
			Instant started = Instant.now();
			Process process = builder.start();
			if (!process.waitFor(30, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " took more than 30 minutes");
			}
			Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
			Files.writeString(this.log, started + " $ " + String.join(" ", command) + " -> " + result.exit() + " in "
					+ Duration.between(started, Instant.now()).toMillis() + " ms\n" + result.stdout() + result.stderr(),
					StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
					java.nio.file.StandardOpenOption.APPEND);
			Files.delete(out);
			Files.delete(err);
			return result;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private int tryRun(List<String> command) {
		return execute(command, Map.of(), null).exit();
	}

	@Override
	public void close() throws InterruptedException, IOException {
		this.daemon.destroy();
		if (!this.daemon.waitFor(30, TimeUnit.SECONDS)) {
			this.daemon.destroyForcibly();
			this.daemon.waitFor(10, TimeUnit.SECONDS);
		}
		// The socket, pid file and exec root (dockerd leaves its network namespace
		// mounted
		// there); the data root stays for the next run.
		Path netns = this.home.resolve("exec/netns/default");
		if (Files.exists(netns)) {
			new ProcessBuilder("umount", netns.toString()).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start()
				.waitFor(10, TimeUnit.SECONDS);
		}
		try (var paths = Files.walk(this.home)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// left in /tmp
		}
	}

	record Start(DockerEngine engine, String whyNot) {
	}

	record Result(int exit, String stdout, String stderr) {
	}

}
