package io.latchkey.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import redis.embedded.RedisServer;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real Redis for the whole test JVM, chosen in this order: the {@code REDIS_URL}
 * environment variable, a Testcontainers {@code redis:7} container where Docker works,
 * and otherwise the {@code redis-server} binary shipped by the embedded-redis dependency.
 * Never a mock: every storage test talks to a Redis server over TCP.
 */
public final class RealRedis {

	/**
	 * Ports handed out in this JVM: the kernel may offer a port again as soon as its
	 * probe socket closes, before the process it was meant for binds it (two Sentinels of
	 * one set-up were given the same port, and one of them never started).
	 */
	private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

	private static final Logger logger = LoggerFactory.getLogger(RealRedis.class);

	private static volatile URI uri;

	private RealRedis() {
	}

	/**
	 * The {@code redis://host:port} address of the shared test Redis, starting it on
	 * first use.
	 */
	public static URI uri() {
		URI current = uri;
		if (current == null) {
			synchronized (RealRedis.class) {
				if (uri == null) {
					uri = start();
				}
				current = uri;
			}
		}
		return current;
	}

	/**
	 * A started Lettuce connection factory on the shared test Redis; destroy it when
	 * done.
	 */
	public static LettuceConnectionFactory connectionFactory() {
		URI redis = uri();
		LettuceConnectionFactory connections = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.getHost(), redis.getPort()));
		connections.afterPropertiesSet();
		connections.start();
		return connections;
	}

	/**
	 * Points Spring Data Redis at the test Redis of the topology {@code REDIS_TOPOLOGY}
	 * names (the shared standalone one by default, else a {@link RedisTopology} Cluster
	 * or Sentinel set-up) and turns the embedded default off.
	 */
	public static void register(DynamicPropertyRegistry registry) {
		switch (RedisTopology.configured()) {
			case CLUSTER -> RedisTopology.cluster().register(registry);
			case SENTINEL -> RedisTopology.sentinel().register(registry);
			case STANDALONE -> {
				registry.add("spring.data.redis.url", () -> uri().toString());
				registry.add("latchkey.redis.embedded.enabled", () -> "false");
			}
		}
	}

	/**
	 * As {@link #register}, as command-line arguments of an application a test starts
	 * itself.
	 */
	public static List<String> arguments() {
		return switch (RedisTopology.configured()) {
			case CLUSTER -> RedisTopology.cluster().arguments();
			case SENTINEL -> RedisTopology.sentinel().arguments();
			case STANDALONE -> List.of("--spring.data.redis.url=" + uri(), "--latchkey.redis.embedded.enabled=false");
		};
	}

	private static URI start() {
		String given = System.getenv("REDIS_URL");
		if (given != null && !given.isBlank()) {
			logger.info("Tests use the Redis given by REDIS_URL");
			return URI.create(given);
		}
		if (dockerAvailable()) {
			GenericContainer<?> container = new GenericContainer<>("redis:7-alpine")
				.withCommand("redis-server", "--maxmemory-policy", "noeviction")
				.withExposedPorts(6379);
			container.start();
			logger.info("Tests use a Testcontainers Redis");
			return URI.create("redis://" + container.getHost() + ":" + container.getMappedPort(6379));
		}
		return startEmbedded();
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static URI startEmbedded() {
		try {
			int port = freePort();
			Path dir = Files.createTempDirectory("latchkey-test-redis");
			RedisServer server = RedisServer.newRedisServer()
				.port(port)
				.bind("127.0.0.1")
				.setting("maxmemory-policy noeviction")
				.setting("dir " + dir)
				.setting("save \"\"")
				.build();
			server.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					server.stop();
				}
				catch (IOException ex) {
					// the JVM is exiting; the process dies with it
				}
			}));
			logger.info("No REDIS_URL and no Docker: tests use the embedded redis-server on port {}", port);
			return URI.create("redis://127.0.0.1:" + port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded redis-server for tests", ex);
		}
	}

	/** A TCP port that nothing listens on right now. */
	public static int freePort() {
		for (int tries = 0; tries < 100; tries++) {
			try (ServerSocket socket = new ServerSocket(0)) {
				socket.setReuseAddress(true);
				int port = socket.getLocalPort();
				if (HANDED_OUT.add(port)) {
					return port;
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		throw new IllegalStateException("No free port found that this JVM has not handed out already");
	}

}
