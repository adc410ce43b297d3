package io.latchkey.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Real Redis topologies on loopback, from real {@code redis-server} processes (Debian's
 * {@code redis-server} 7.x on the {@code PATH}; {@code .ci/run} installs it): a standalone
 * server, a Cluster of three primaries with one replica each, or a primary and a replica watched
 * by three Sentinels. The storage contract tests run on each; {@code REDIS_TOPOLOGY}
 * ({@code standalone}, {@code cluster}, {@code sentinel}) picks the one the application tests use.
 * Each topology is started once per JVM and stopped when it exits.
 */
public final class RedisTopology {

	/** The Sentinels' name for the primary they watch. */
	public static final String SENTINEL_MASTER = "latchkey";

	private static final Logger logger = LoggerFactory.getLogger(RedisTopology.class);

	private static final Duration READY = Duration.ofSeconds(30);

	private static @Nullable RedisTopology cluster;

	private static @Nullable RedisTopology sentinel;

	private final Kind kind;

	private final List<Integer> ports;

	private final List<Integer> sentinelPorts;

	private final List<Process> processes;

	private RedisTopology(Kind kind, List<Integer> ports, List<Integer> sentinelPorts, List<Process> processes) {
		this.kind = kind;
		this.ports = List.copyOf(ports);
		this.sentinelPorts = List.copyOf(sentinelPorts);
		this.processes = List.copyOf(processes);
	}

	/** The topology named by {@code REDIS_TOPOLOGY} (standalone when unset). */
	public static Kind configured() {
		String name = System.getenv("REDIS_TOPOLOGY");
		return (name == null || name.isBlank()) ? Kind.STANDALONE : Kind.valueOf(name.strip().toUpperCase(Locale.ROOT));
	}

	/** Whether Debian's {@code redis-server} (7.x) is on the PATH, which Cluster and Sentinel need. */
	public static boolean available() {
		try {
			Process version = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
			String out = new String(version.getInputStream().readAllBytes());
			return version.waitFor() == 0 && out.contains("v=7.");
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** The Cluster of this JVM: three primaries with one replica each, started on first use. */
	public static synchronized RedisTopology cluster() {
		if (cluster == null) {
			cluster = startCluster();
		}
		return cluster;
	}

	/** The Sentinel set-up of this JVM: a primary, a replica and three Sentinels, started on first use. */
	public static synchronized RedisTopology sentinel() {
		if (sentinel == null) {
			sentinel = startSentinel();
		}
		return sentinel;
	}

	public Kind kind() {
		return this.kind;
	}

	/** Spring Data Redis's configuration of this topology. */
	public RedisConfiguration configuration() {
		return switch (this.kind) {
			case STANDALONE -> new RedisStandaloneConfiguration("127.0.0.1", this.ports.get(0));
			case CLUSTER -> new RedisClusterConfiguration(this.ports.stream().map((port) -> "127.0.0.1:" + port).toList());
			case SENTINEL -> {
				RedisSentinelConfiguration configuration = new RedisSentinelConfiguration().master(SENTINEL_MASTER);
				this.sentinelPorts.forEach((port) -> configuration.sentinel("127.0.0.1", port));
				yield configuration;
			}
		};
	}

	/** A started connection factory on this topology; destroy it when done. */
	public LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory connections = switch (configuration()) {
			case RedisClusterConfiguration clusterConfiguration -> new LettuceConnectionFactory(clusterConfiguration);
			case RedisSentinelConfiguration sentinelConfiguration -> new LettuceConnectionFactory(sentinelConfiguration);
			case RedisStandaloneConfiguration standalone -> new LettuceConnectionFactory(standalone);
			default -> throw new IllegalStateException("unknown configuration");
		};
		connections.afterPropertiesSet();
		connections.start();
		return connections;
	}

	/** Points Spring Boot's {@code spring.data.redis.*} at this topology. */
	public void register(DynamicPropertyRegistry registry) {
		registry.add("latchkey.redis.embedded.enabled", () -> "false");
		switch (this.kind) {
			case STANDALONE -> registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + this.ports.get(0));
			case CLUSTER -> registry.add("spring.data.redis.cluster.nodes", this::nodes);
			case SENTINEL -> {
				registry.add("spring.data.redis.sentinel.master", () -> SENTINEL_MASTER);
				registry.add("spring.data.redis.sentinel.nodes", () -> this.sentinelPorts.stream()
					.map((port) -> "127.0.0.1:" + port)
					.collect(Collectors.joining(",")));
			}
		}
	}

	/** {@code 127.0.0.1:port,...} of the data nodes (the Cluster's, or the primary and replica). */
	public String nodes() {
		return this.ports.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	/** The data nodes' ports: for Sentinel, the first is the primary it started with. */
	public List<Integer> ports() {
		return this.ports;
	}

	private static RedisTopology startCluster() {
		Path dir = tempDir("cluster");
		List<Integer> ports = new ArrayList<>();
		List<Process> processes = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			int port = RealRedis.freePort();
			ports.add(port);
			processes.add(redisServer(dir, port, "--cluster-enabled", "yes", "--cluster-config-file",
					"nodes-" + port + ".conf", "--cluster-node-timeout", "2000"));
		}
		stopAtExit(processes);
		awaitPing(ports);
		List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
		ports.forEach((port) -> create.add("127.0.0.1:" + port));
		create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
		run(create);
		await(() -> ports.stream().allMatch((port) -> command(port, (redis) -> redis.clusterInfo()).contains(
				"cluster_state:ok")), "the Cluster to be ready");
		logger.info("Tests use a Redis Cluster on ports {}", ports);
		return new RedisTopology(Kind.CLUSTER, ports, List.of(), processes);
	}

	private static RedisTopology startSentinel() {
		Path dir = tempDir("sentinel");
		int primary = RealRedis.freePort();
		int replica = RealRedis.freePort();
		List<Process> processes = new ArrayList<>();
		processes.add(redisServer(dir, primary));
		processes.add(redisServer(dir, replica, "--replicaof", "127.0.0.1", Integer.toString(primary)));
		stopAtExit(processes);
		List<Integer> sentinels = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			int port = RealRedis.freePort();
			Path config = dir.resolve("sentinel-" + port + ".conf");
			write(config, String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + dir,
					"sentinel monitor " + SENTINEL_MASTER + " 127.0.0.1 " + primary + " 2",
					"sentinel down-after-milliseconds " + SENTINEL_MASTER + " 1000",
					"sentinel failover-timeout " + SENTINEL_MASTER + " 3000",
					"sentinel parallel-syncs " + SENTINEL_MASTER + " 1", ""));
			sentinels.add(port);
			processes.add(start(List.of("redis-server", config.toString(), "--sentinel"), dir, "sentinel-" + port));
		}
		awaitPing(List.of(primary, replica));
		await(() -> command(replica, RedisCommands::info).contains("master_link_status:up"),
				"the replica to follow the primary");
		awaitPing(sentinels);
		logger.info("Tests use a Redis primary {} with replica {} watched by Sentinels {}", primary, replica, sentinels);
		return new RedisTopology(Kind.SENTINEL, List.of(primary, replica), sentinels, processes);
	}

	/** The processes die with the JVM, also when a start fails half-way (the list grows as they start). */
	private static void stopAtExit(List<Process> processes) {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));
	}

	private static Process redisServer(Path dir, int port, String... more) {
		List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind",
				"127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "yes", "--appendfilename",
				"appendonly-" + port + ".aof", "--appenddirname", "aof-" + port, "--maxmemory-policy", "noeviction",
				"--protected-mode", "no"));
		command.addAll(List.of(more));
		return start(command, dir, "redis-" + port);
	}

	private static Process start(List<String> command, Path dir, String name) {
		try {
			return new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(dir.resolve(name + ".log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + String.join(" ", command)
					+ ": Cluster and Sentinel tests need Debian's redis-server 7 (apt-get install redis-server)", ex);
		}
	}

	private static void run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes());
			if (process.waitFor() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void awaitPing(List<Integer> ports) {
		await(() -> ports.stream().allMatch((port) -> "PONG".equals(command(port, RedisCommands::ping))),
				"redis-server on " + ports);
	}

	private static <T> T command(int port, java.util.function.Function<RedisCommands<String, String>, T> command) {
		RedisClient client = RedisClient.create(RedisURI.builder()
			.withHost("127.0.0.1")
			.withPort(port)
			.withTimeout(Duration.ofSeconds(2))
			.build());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return command.apply(connection.sync());
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

	/** Polls {@code condition} (which may throw while things start) until it holds, with a deadline. */
	private static void await(java.util.function.BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + READY.toNanos();
		RuntimeException last = null;
		while (System.nanoTime() < deadline) {
			try {
				if (condition.getAsBoolean()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				last = ex;
			}
			Thread.onSpinWait();
		}
		throw new IllegalStateException("Timed out waiting for " + what, last);
	}

	private static Path tempDir(String name) {
		try {
			return Files.createTempDirectory("latchkey-redis-" + name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void write(Path file, String content) {
		try {
			Files.writeString(file, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Freezes ({@code SIGSTOP}) or thaws ({@code SIGCONT}) the replica of a Sentinel set-up: a
	 * replica that stalls and confirms nothing until it is thawed.
	 */
	public void freezeReplica(boolean frozen) {
		if (this.kind != Kind.SENTINEL) {
			throw new IllegalStateException("only a Sentinel set-up has one replica to freeze");
		}
		run(List.of("kill", frozen ? "-STOP" : "-CONT", Long.toString(this.processes.get(1).pid())));
	}

	/** Stops every process of the topology. */
	public void stop() {
		this.processes.forEach(Process::destroyForcibly);
	}

	/** Which topology. */
	public enum Kind {

		STANDALONE, CLUSTER, SENTINEL

	}

}
