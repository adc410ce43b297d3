package io.latchkey.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code docker/compose.yaml} under a project name of its own on a {@link DockerEngine},
 * driven through Debian's {@code docker-compose} (1.29) with the given variables.
 */
final class ComposeStack {

	static final List<String> SERVICES = List.of("redis", "auth-server", "resource-api", "prometheus");

	private final DockerEngine engine;

	private final Path repository;

	private final String project;

	private final Map<String, String> variables;

	private final Map<String, String> containers = new java.util.concurrent.ConcurrentHashMap<>();

	ComposeStack(DockerEngine engine, Path repository, String project, Map<String, String> variables) {
		this.engine = engine;
		this.repository = repository;
		this.project = project;
		this.variables = variables;
	}

	String project() {
		return this.project;
	}

	/** Runs {@code docker-compose -p PROJECT -f docker/compose.yaml ARGS}. */
	String compose(String... args) {
		List<String> command = new ArrayList<>(
				List.of("docker-compose", "--no-ansi", "-p", this.project, "-f", "docker/compose.yaml"));
		command.addAll(List.of(args));
		return this.engine.run(command, this.variables, this.repository);
	}

	/** The id of the service's container (the same after a restart). */
	String container(String service) {
		return this.containers.computeIfAbsent(service, (name) -> {
			String id = compose("ps", "-q", name).strip();
			if (id.isEmpty()) {
				throw new IllegalStateException("no container for " + name);
			}
			return id;
		});
	}

	/** Waits until every service's health check passes; fails with their logs if not. */
	void awaitHealthy(Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		Map<String, String> status = Map.of();
		while (Instant.now().isBefore(deadline)) {
			status = new java.util.LinkedHashMap<>();
			for (String service : SERVICES) {
				status.put(service, this.engine
					.docker("inspect", "--format",
							"{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}", container(service))
					.strip());
			}
			if (status.values().stream().allMatch("running/healthy"::equals)) {
				return;
			}
			if (status.values().stream().anyMatch((s) -> s.startsWith("exited") || s.startsWith("dead"))) {
				break;
			}
			pause(Duration.ofMillis(500));
		}
		throw new IllegalStateException("not healthy: " + status + "\n" + compose("logs", "--tail", "60"));
	}

	Map<String, String> variables() {
		return this.variables;
	}

	/** The pause between two polls. */
	static void pause(Duration between) {
		try {
			Thread.sleep(between);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
