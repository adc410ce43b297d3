package io.latchkey.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
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
 * {@code redis-server} 7.x on the {@code PATH}; {@code .ci/run} installs it): a
 * standalone server, a Cluster of three primaries with one replica each, or a primary and
 * a replica watched by three Sentinels. The storage contract tests run on each;
 * {@code REDIS_TOPOLOGY} ({@code standalone}, {@code cluster}, {@code sentinel}) picks
 * the one the application tests use. Each topology is started once per JVM and stopped
 * when it exits.
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

	private final Path dir;

	/**
	 * Every process started for this topology, restarted ones included; all die with the
	 * JVM.
	 */
	private final List<Process> processes;

	/** The data nodes' current processes and how each was started, by port. */
	private final Map<Integer, Process> nodes = new ConcurrentHashMap<>();

	private final Map<Integer, List<String>> commands = new ConcurrentHashMap<>();

	private RedisTopology(Kind kind, Path dir, List<Integer> ports, List<Integer> sentinelPorts,
			List<Process> processes) {
		this.kind = kind;
		this.dir = dir;
		this.ports = List.copyOf(ports);
		this.sentinelPorts = List.copyOf(sentinelPorts);
		this.processes = processes;
	}

	/** The topology named by {@code REDIS_TOPOLOGY} (standalone when unset). */
	public static Kind configured() {
		String name = System.getenv("REDIS_TOPOLOGY");
		return (name == null || name.isBlank()) ? Kind.STANDALONE : Kind.valueOf(name.strip().toUpperCase(Locale.ROOT));
	}

	/**
	 * Whether Debian's {@code redis-server} (7.x) is on the PATH, which Cluster and
	 * Sentinel need.
	 */
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

	/**
	 * The Cluster of this JVM: three primaries with one replica each, started on first
	 * use.
	 */
	public static synchronized RedisTopology cluster() {
		if (cluster == null) {
			cluster = newCluster();
		}
		return cluster;
	}

	/**
	 * The Sentinel set-up of this JVM: a primary, a replica and three Sentinels, started
	 * on first use.
	 */
	public static synchronized RedisTopology sentinel() {
		if (sentinel == null) {
			sentinel = newSentinel(1);
		}
		return sentinel;
	}

	/**
	 * A standalone redis-server with AOF persistence of its own, for tests that crash it;
	 * stop it when done.
	 */
	public static RedisTopology newStandalone() {
		Path dir = tempDir("standalone");
		RedisTopology topology = new RedisTopology(Kind.STANDALONE, dir, List.of(RealRedis.freePort()), List.of(),
				processList());
		topology.startNode(topology.ports.get(0));
		awaitPing(topology.ports);
		return topology;
	}

	public Kind kind() {
		return this.kind;
	}

	/** Spring Data Redis's configuration of this topology. */
	public RedisConfiguration configuration() {
		return switch (this.kind) {
			case STANDALONE -> new RedisStandaloneConfiguration("127.0.0.1", this.ports.get(0));
			case CLUSTER ->
				new RedisClusterConfiguration(this.ports.stream().map((port) -> "127.0.0.1:" + port).toList());
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
			case RedisSentinelConfiguration sentinelConfiguration ->
				new LettuceConnectionFactory(sentinelConfiguration);
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
				registry.add("spring.data.redis.sentinel.nodes", this::sentinelNodes);
			}
		}
	}

	/**
	 * The same as {@link #register}, as command-line arguments of an application started
	 * by a test.
	 */
	public List<String> arguments() {
		return switch (this.kind) {
			case STANDALONE -> List.of("--latchkey.redis.embedded.enabled=false",
					"--spring.data.redis.url=redis://127.0.0.1:" + this.ports.get(0));
			case CLUSTER ->
				List.of("--latchkey.redis.embedded.enabled=false", "--spring.data.redis.cluster.nodes=" + nodes());
			case SENTINEL -> List.of("--latchkey.redis.embedded.enabled=false",
					"--spring.data.redis.sentinel.master=" + SENTINEL_MASTER,
					"--spring.data.redis.sentinel.nodes=" + sentinelNodes());
		};
	}

	/**
	 * {@code 127.0.0.1:port,...} of the data nodes (the Cluster's, or the primary and
	 * replica).
	 */
	public String nodes() {
		return this.ports.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	/** {@code 127.0.0.1:port,...} of the Sentinels. */
	public String sentinelNodes() {
		return this.sentinelPorts.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	/** The data nodes' ports: for Sentinel, the first is the primary it started with. */
	public List<Integer> ports() {
		return this.ports;
	}

	/**
	 * A Cluster of three primaries with one replica each, of its own; stop it when done.
	 */
	public static RedisTopology newCluster() {
		Path dir = tempDir("cluster");
		// each node's bus gets a port of its own, checked free: the default (port +
		// 10000) falls in
		// the ephemeral range, where a client connection of this very run may hold it
		Set<Integer> distinct = new LinkedHashSet<>();
		while (distinct.size() < 12) {
			distinct.add(RealRedis.freePort());
		}
		List<Integer> ports = List.copyOf(distinct).subList(0, 6);
		List<Integer> busPorts = List.copyOf(distinct).subList(6, 12);
		RedisTopology topology = new RedisTopology(Kind.CLUSTER, dir, ports, List.of(), processList());
		for (int i = 0; i < ports.size(); i++) {
			int port = ports.get(i);
			topology.startNode(port, "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
					"--cluster-node-timeout", "2000", "--cluster-port", Integer.toString(busPorts.get(i)));
		}
		awaitPing(ports);
		List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
		ports.forEach((port) -> create.add("127.0.0.1:" + port));
		create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
		run(create);
		await(() -> ports.stream()
			.allMatch((port) -> command(port, (redis) -> redis.clusterInfo()).contains("cluster_state:ok")),
				"the Cluster to be ready");
		await(() -> ports.stream()
			.map((port) -> command(port, (redis) -> redis.info("replication")))
			.allMatch((info) -> info.contains("role:master") || info.contains("master_link_status:up")),
				"every replica to follow its primary");
		logger.info("Tests use a Redis Cluster on ports {}", ports);
		return topology;
	}

	/**
	 * A primary with {@code replicas} replicas watched by three Sentinels, of its own;
	 * stop it when done. With two replicas a failover leaves one replica to confirm
	 * writes.
	 */
	public static RedisTopology newSentinel(int replicas) {
		Path dir = tempDir("sentinel");
		List<Integer> ports = new ArrayList<>();
		for (int i = 0; i <= replicas; i++) {
			ports.add(RealRedis.freePort());
		}
		List<Integer> sentinels = List.of(RealRedis.freePort(), RealRedis.freePort(), RealRedis.freePort());
		RedisTopology topology = new RedisTopology(Kind.SENTINEL, dir, ports, sentinels, processList());
		int primary = ports.get(0);
		topology.startNode(primary);
		for (int replica : ports.subList(1, ports.size())) {
			topology.startNode(replica, "--replicaof", "127.0.0.1", Integer.toString(primary));
		}
		for (int port : sentinels) {
			Path config = dir.resolve("sentinel-" + port + ".conf");
			write(config,
					String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + dir,
							"sentinel monitor " + SENTINEL_MASTER + " 127.0.0.1 " + primary + " 2",
							"sentinel down-after-milliseconds " + SENTINEL_MASTER + " 1000",
							"sentinel failover-timeout " + SENTINEL_MASTER + " 3000",
							"sentinel parallel-syncs " + SENTINEL_MASTER + " 1", ""));
			topology.processes
				.add(start(List.of("redis-server", config.toString(), "--sentinel"), dir, "sentinel-" + port));
		}
		awaitPing(ports);
		for (int replica : ports.subList(1, ports.size())) {
			await(() -> command(replica, RedisCommands::info).contains("master_link_status:up"),
					"the replica " + replica + " to follow the primary");
		}
		awaitPing(sentinels);
		for (int port : sentinels) {
			await(() -> {
				Map<String, String> seen = topology.sentinelCommand(port,
						(sentinel) -> sentinel.master(SENTINEL_MASTER));
				return "2".equals(seen.get("num-other-sentinels"))
						&& Integer.toString(replicas).equals(seen.get("num-slaves"));
			}, "Sentinel " + port + " to know the other Sentinels and every replica");
		}
		logger.info("Tests use a Redis primary {} with replicas {} watched by Sentinels {}", primary,
				ports.subList(1, ports.size()), sentinels);
		return topology;
	}

	/**
	 * A list of processes that are all killed when the JVM exits, also those added later.
	 */
	private static List<Process> processList() {
		List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));
		return processes;
	}

	private void startNode(int port, String... more) {
		List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind",
				"127.0.0.1", "--dir", this.dir.toString(), "--save", "", "--appendonly", "yes", "--appendfilename",
				"appendonly-" + port + ".aof", "--appenddirname", "aof-" + port, "--maxmemory-policy", "noeviction",
				"--protected-mode", "no"));
		command.addAll(List.of(more));
		this.commands.put(port, command);
		Process process = start(command, this.dir, "redis-" + port);
		this.processes.add(process);
		this.nodes.put(port, process);
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
		RedisClient client = RedisClient
			.create(RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(2)).build());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return command.apply(connection.sync());
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

	/**
	 * Polls {@code condition} (which may throw while things start) until it holds, with a
	 * deadline.
	 */
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
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // a poll interval,
																		// not a wait for
																		// an outcome
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
	 * Freezes ({@code SIGSTOP}) or thaws ({@code SIGCONT}) the data node on {@code port}:
	 * a replica that stalls and confirms nothing until it is thawed.
	 */
	public void freeze(int port, boolean frozen) {
		run(List.of("kill", frozen ? "-STOP" : "-CONT", Long.toString(node(port).pid())));
	}

	/**
	 * The port of the node that serves {@code key}'s writes now (asking a Sentinel or the
	 * Cluster).
	 */
	public int primaryFor(String key) {
		return switch (this.kind) {
			case STANDALONE -> this.ports.get(0);
			case SENTINEL ->
				((InetSocketAddress) sentinelCommand((sentinel) -> sentinel.getMasterAddrByName(SENTINEL_MASTER)))
					.getPort();
			case CLUSTER -> clusterNodes().getMasterBySlot(SlotHash.getSlot(key)).getUri().getPort();
		};
	}

	/** The port of a replica of the node that serves {@code key}'s writes now. */
	public int replicaFor(String key) {
		int primary = primaryFor(key);
		return switch (this.kind) {
			case STANDALONE -> throw new IllegalStateException("a standalone Redis has no replica");
			case SENTINEL -> this.ports.stream()
				.filter((port) -> port != primary && this.nodes.get(port).isAlive())
				.findFirst()
				.orElseThrow();
			case CLUSTER -> {
				Partitions partitions = clusterNodes();
				String primaryId = partitions.getMasterBySlot(SlotHash.getSlot(key)).getNodeId();
				yield partitions.stream()
					.filter((node) -> primaryId.equals(node.getSlaveOf()))
					.findFirst()
					.orElseThrow()
					.getUri()
					.getPort();
			}
		};
	}

	/**
	 * Kills ({@code SIGKILL}, as {@code kill -9}) the data node on {@code port}: no
	 * shutdown, no last save.
	 */
	public void kill(int port) {
		Process process = node(port);
		process.destroyForcibly();
		try {
			process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Starts the killed data node on {@code port} again, as before, on its own files. */
	public void restart(int port) {
		Process process = start(this.commands.get(port), this.dir, "redis-" + port + "-again");
		this.processes.add(process);
		this.nodes.put(port, process);
		awaitPing(List.of(port));
	}

	private Process node(int port) {
		Process process = this.nodes.get(port);
		if (process == null) {
			throw new IllegalArgumentException("no data node of this topology on port " + port);
		}
		return process;
	}

	private Partitions clusterNodes() {
		for (int port : this.ports) {
			if (this.nodes.get(port).isAlive()) {
				String nodes = command(port, RedisCommands::clusterNodes);
				return ClusterPartitionParser.parse(nodes);
			}
		}
		throw new IllegalStateException("no Cluster node is alive");
	}

	private <T> T sentinelCommand(java.util.function.Function<RedisSentinelCommands<String, String>, T> command) {
		return sentinelCommand(this.sentinelPorts.get(0), command);
	}

	private <T> T sentinelCommand(int port,
			java.util.function.Function<RedisSentinelCommands<String, String>, T> command) {
		RedisClient client = RedisClient
			.create(RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(2)).build());
		try (StatefulRedisSentinelConnection<String, String> connection = client.connectSentinel()) {
			return command.apply(connection.sync());
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
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
