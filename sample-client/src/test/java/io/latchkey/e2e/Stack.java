package io.latchkey.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import io.latchkey.testsupport.AppProcess;
import io.latchkey.testsupport.RealRedis;
import io.latchkey.testsupport.RedisTopology;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole system, as deployed: the auth server and the resource API as two processes
 * talking HTTP to each other and to one real Redis, under a key prefix and events channel
 * of their own. The resource API signs in to Redis as a restricted ACL user, as the
 * README tells operators to do: it may subscribe to the events channel and use its own
 * keys, nothing of the auth server's.
 */
final class Stack implements AutoCloseable {

	static final String ADMIN_PASSWORD = "e2e-admin-password";

	/**
	 * The resource API's client secret, handed to both processes as
	 * {@code ./latchkey run} does.
	 */
	static final String CLIENT_SECRET = "e2e-resource-api-secret";

	static final Pattern TOKEN_SHAPE = Pattern.compile("(?<![0-9A-Za-z_-])lkp_[0-9A-Za-z]{36}");

	final AppProcess authServer;

	final AppProcess resourceApi;

	/**
	 * The resource API's Redis user; a Redis restarted without its ACL needs it applied
	 * again.
	 */
	final RestrictedRedisUser resourceUser;

	/**
	 * Further auth-server instances on the same Redis and key prefix (none unless asked
	 * for).
	 */
	final List<AppProcess> moreAuthServers;

	/**
	 * The auth server's key prefix; its events channel is this followed by
	 * {@code :events}.
	 */
	final String prefix;

	private Stack(AppProcess authServer, AppProcess resourceApi, RestrictedRedisUser resourceUser,
			List<AppProcess> moreAuthServers, String prefix) {
		this.authServer = authServer;
		this.resourceApi = resourceApi;
		this.resourceUser = resourceUser;
		this.moreAuthServers = List.copyOf(moreAuthServers);
		this.prefix = prefix;
	}

	/**
	 * Starts both apps on the test Redis of the topology {@code REDIS_TOPOLOGY} names.
	 */
	static Stack start(String name) {
		return start(name, 1);
	}

	/**
	 * Starts {@code authServers} auth-server instances and the resource API on the
	 * configured topology.
	 */
	static Stack start(String name, int authServers) {
		return switch (RedisTopology.configured()) {
			case STANDALONE -> start(name, RealRedis.uri(), authServers);
			case CLUSTER -> start(name, Redis.of(RedisTopology.cluster()), authServers);
			case SENTINEL -> start(name, Redis.of(RedisTopology.sentinel()), authServers);
		};
	}

	/** Starts both apps on the standalone Redis at {@code redis}. */
	static Stack start(String name, URI redis) {
		return start(name, redis, 1);
	}

	static Stack start(String name, URI redis, int authServers) {
		return start(name, Redis.of(redis), authServers, List.of());
	}

	/**
	 * Starts both apps on the standalone Redis at {@code redis}, the auth server with
	 * further arguments (e.g. {@code --name=value} properties registering another
	 * client).
	 */
	static Stack start(String name, URI redis, List<String> authServerArguments) {
		return start(name, Redis.of(redis), 1, authServerArguments);
	}

	private static Stack start(String name, Redis redis, int authServers) {
		return start(name, redis, authServers, List.of());
	}

	private static Stack start(String name, Redis redis, int authServers, List<String> authServerArguments) {
		String prefix = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
		Path logs = Path.of("target", "e2e");
		int authPort = RealRedis.freePort();
		AppProcess authServer = authServer(name + "-auth-server", redis, prefix, authPort, logs, authServerArguments)
			.start();
		List<AppProcess> more = new ArrayList<>();
		for (int i = 2; i <= authServers; i++) {
			more.add(authServer(name + "-auth-server-" + i, redis, prefix, RealRedis.freePort(), logs,
					authServerArguments)
				.start());
		}
		RestrictedRedisUser resourceUser = RestrictedRedisUser.of(prefix + "-resource", prefix + "-rapi",
				prefix + ":events");
		List<String> arguments = new ArrayList<>(redis.restrictedTo(resourceUser));
		arguments.addAll(List.of(
				"--spring.security.oauth2.resourceserver.opaquetoken.introspection-uri=http://localhost:" + authPort
						+ "/oauth2/introspect",
				"--latchkey.resource.key-prefix=" + prefix + "-rapi",
				"--latchkey.resource.events-channel=" + prefix + ":events",
				"--latchkey.resource.introspection.read-timeout=2s",
				"--spring.security.oauth2.resourceserver.opaquetoken.client-secret=" + CLIENT_SECRET));
		AppProcess resourceApi = new AppProcess("resource-api", jar("resource-api"), RealRedis.freePort(),
				RealRedis.freePort(), logs.resolve(name + "-resource-api.log"), arguments)
			.start();
		return new Stack(authServer, resourceApi, resourceUser, more, prefix);
	}

	private static AppProcess authServer(String name, Redis redis, String prefix, int port, Path logs,
			List<String> extra) {
		List<String> arguments = new ArrayList<>(redis.properties());
		arguments.addAll(List.of("--latchkey.admin.password=" + ADMIN_PASSWORD,
				"--LATCHKEY_RESOURCE_API_SECRET={noop}" + CLIENT_SECRET, "--latchkey.redis.key-prefix=" + prefix,
				"--latchkey.redis.events-channel=" + prefix + ":events"));
		arguments.addAll(extra);
		return new AppProcess("auth-server", jar("auth-server"), port, logs.resolve(name + ".log"), arguments);
	}

	private static Path jar(String module) {
		return jar(Path.of("..", module, "target", "latchkey-" + module + "-exec.jar"));
	}

	/**
	 * The executable jar of an app under {@code examples/}, e.g. {@code resource-server}.
	 */
	static Path exampleJar(String example) {
		return jar(Path.of("..", "examples", example, "target", "latchkey-example-" + example + "-exec.jar"));
	}

	private static Path jar(Path jar) {
		assertThat(jar).as("built by the reactor before these tests").exists();
		return jar;
	}

	/** No log line of either process may carry a token value. */
	void assertNoTokensInLogs() {
		List<AppProcess> apps = new ArrayList<>(List.of(this.authServer, this.resourceApi));
		apps.addAll(this.moreAuthServers);
		apps.forEach(Stack::assertNoTokensInLog);
	}

	/** No log line of {@code app} may carry a token value. */
	static void assertNoTokensInLog(AppProcess app) {
		try {
			List<String> leaks = Files.readAllLines(app.log())
				.stream()
				.filter((line) -> TOKEN_SHAPE.matcher(line).find())
				.toList();
			assertThat(leaks).as("token values in " + app.log()).isEmpty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.resourceApi.close();
		this.moreAuthServers.forEach(AppProcess::close);
		this.authServer.close();
	}

	/**
	 * How the apps reach the test Redis: Spring Boot's {@code spring.data.redis.*}
	 * properties for a standalone server, a Cluster or Sentinels, and the data nodes on
	 * which a restricted user must be made (ACL users are per node; neither replication
	 * nor the Cluster spreads them).
	 */
	private record Redis(List<String> properties, List<URI> dataNodes, @Nullable URI standalone) {

		static Redis of(URI standalone) {
			return new Redis(List.of("--spring.data.redis.url=" + standalone), List.of(standalone), standalone);
		}

		static Redis of(RedisTopology topology) {
			List<String> properties = new ArrayList<>();
			if (topology.kind() == RedisTopology.Kind.CLUSTER) {
				properties.add("--spring.data.redis.cluster.nodes=" + topology.nodes());
			}
			else {
				properties.add("--spring.data.redis.sentinel.master=" + RedisTopology.SENTINEL_MASTER);
				properties.add("--spring.data.redis.sentinel.nodes=" + topology.sentinelNodes());
			}
			List<URI> nodes = topology.ports().stream().map((port) -> URI.create("redis://127.0.0.1:" + port)).toList();
			return new Redis(properties, nodes, null);
		}

		/**
		 * The resource API's properties, signing in as {@code user}, made on every data
		 * node first.
		 */
		List<String> restrictedTo(RestrictedRedisUser user) {
			URI restricted = null;
			for (URI node : this.dataNodes) {
				restricted = user.applyTo(node);
			}
			if (this.standalone != null) {
				return List.of("--spring.data.redis.url=" + restricted);
			}
			List<String> properties = new ArrayList<>(this.properties);
			properties.add("--spring.data.redis.username=" + user.username());
			properties.add("--spring.data.redis.password=" + user.password());
			return properties;
		}

	}

}
