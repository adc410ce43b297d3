package io.latchkey.auth.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.latchkey.authorization.autoconfigure.LatchkeyProperties;
import io.latchkey.authorization.support.OwnerOnlyFiles;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import redis.embedded.RedisServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.StringUtils;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * With no external Redis configured ({@code spring.data.redis.url}, {@code host},
 * {@code sentinel} or {@code cluster}), starts a real {@code redis-server} from the
 * embedded-redis dependency, with AOF persistence under
 * {@code latchkey.redis.embedded.data-dir} and {@code noeviction}, and points Spring Data
 * Redis at it. The server requires a password (configured, or generated once and kept in
 * {@code <data-dir>/password}); resource services get their own user
 * ({@code latchkey.redis.embedded.subscriber.*}, password in
 * {@code <data-dir>/<user>.password}) that may only subscribe to the events channel and
 * use keys under its own prefix: it can neither read nor write the auth server's keys.
 * <p>
 * If the redis-server exits while the application runs (killed, crashed), the
 * {@link EmbeddedRedisSupervisor} starts it again with the same configuration, so it
 * replays its AOF, with backoff ({@code latchkey.redis.embedded.restart.*}); readiness is
 * down until the application's own connections answer again.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedRedisConfiguration.NoExternalRedis.class)
@EnableConfigurationProperties(EmbeddedRedisProperties.class)
class EmbeddedRedisConfiguration {

	private static final Log logger = LogFactory.getLog(EmbeddedRedisConfiguration.class);

	/**
	 * What the sample resource API needs beyond subscribing: its own projects, under its
	 * own prefix.
	 */
	static final String SUBSCRIBER_COMMANDS = "-@all +ping +hello +auth +echo +info +client|setname +subscribe "
			+ "+unsubscribe +get +set +incr +del +exists +expire +pexpire +hset +hmset +hget +hgetall +hdel +zadd "
			+ "+zrange +zrem +zcard";

	@Bean(destroyMethod = "stop")
	EmbeddedRedisSupervisor embeddedRedisServer(EmbeddedRedisProperties embedded, LatchkeyProperties properties,
			ApplicationEventPublisher events, ObjectProvider<RedisConnectionFactory> connections) throws IOException {
		Path dataDir = embedded.dataDir().toAbsolutePath();
		Files.createDirectories(dataDir);
		Path acl = dataDir.resolve("users.acl");
		EmbeddedRedisProperties.Subscriber subscriber = embedded.subscriber();
		OwnerOnlyFiles.write(acl,
				String.join("\n", "user default on #" + sha256(password(embedded)) + " ~* &* +@all",
						"user " + subscriber.username() + " on #" + sha256(subscriberPassword(embedded))
								+ " resetkeys ~" + subscriber.keyPrefix() + ":* resetchannels &"
								+ properties.redis().eventsChannel() + " " + SUBSCRIBER_COMMANDS)
						+ "\n");
		List<String> command = RedisServer.newRedisServer()
			.port(embedded.port())
			.bind("127.0.0.1")
			.setting("dir " + dataDir)
			.setting("aclfile " + acl)
			.setting("appendonly yes")
			.setting("appendfsync everysec")
			.setting("maxmemory-policy noeviction")
			.buildCommandArgs();
		EmbeddedRedisProperties.Restart restart = embedded.restart();
		ExponentialBackOff backOff = new ExponentialBackOff(restart.initialInterval().toMillis(), restart.multiplier());
		backOff.setMaxInterval(restart.maxInterval().toMillis());
		EmbeddedRedisSupervisor server = new EmbeddedRedisSupervisor(new RedisServerLauncher(command),
				"127.0.0.1:" + embedded.port(), backOff, restart.maxInterval(), events);
		server.setReachable(() -> pings(connections.getIfAvailable()));
		server.start();
		logger.info("No external Redis configured: started the embedded redis-server on 127.0.0.1:" + embedded.port()
				+ " with AOF persistence in " + dataDir + "; it requires the password in " + dataDir.resolve("password")
				+ ", and resource services sign in as '" + subscriber.username() + "' with "
				+ dataDir.resolve(subscriber.username() + ".password"));
		return server;
	}

	@Bean
	DataRedisConnectionDetails embeddedRedisConnectionDetails(EmbeddedRedisSupervisor embeddedRedisServer,
			EmbeddedRedisProperties embedded) throws IOException {
		int port = embedded.port();
		String password = password(embedded);
		return new DataRedisConnectionDetails() {
			@Override
			public String getPassword() {
				return password;
			}

			@Override
			public Standalone getStandalone() {
				return Standalone.of("127.0.0.1", port);
			}
		};
	}

	/**
	 * Whether the application's own Redis connections answer a {@code PING}: it waits for
	 * Lettuce to reconnect, up to the command timeout.
	 */
	private static boolean pings(@Nullable RedisConnectionFactory connections) {
		if (connections == null) {
			return true;
		}
		try (RedisConnection connection = connections.getConnection()) {
			return "PONG".equals(connection.ping());
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static String password(EmbeddedRedisProperties embedded) throws IOException {
		return configuredOrKept(embedded.password(), embedded.dataDir().toAbsolutePath().resolve("password"));
	}

	private static String subscriberPassword(EmbeddedRedisProperties embedded) throws IOException {
		return configuredOrKept(embedded.subscriber().password(),
				embedded.dataDir().toAbsolutePath().resolve(embedded.subscriber().username() + ".password"));
	}

	/**
	 * The configured password, else the one kept in {@code file}, else a new one kept
	 * there (owner-only).
	 */
	private static String configuredOrKept(String configured, Path file) throws IOException {
		return StringUtils.hasText(configured) ? configured : OwnerOnlyFiles.readOrGenerate(file, 32);
	}

	private static String sha256(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	static class NoExternalRedis implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Environment environment = context.getEnvironment();
			return environment.getProperty("latchkey.redis.embedded.enabled", Boolean.class, true)
					&& !environment.containsProperty("spring.data.redis.url")
					&& !environment.containsProperty("spring.data.redis.host")
					&& !environment.containsProperty("spring.data.redis.sentinel.master")
					&& !environment.containsProperty("spring.data.redis.cluster.nodes[0]")
					&& !environment.containsProperty("spring.data.redis.cluster.nodes");
		}

	}

}
