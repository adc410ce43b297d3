package io.latchkey.auth.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.latchkey.auth.LatchkeyProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import redis.embedded.RedisServer;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * With no external Redis configured ({@code spring.data.redis.url}, {@code host},
 * {@code sentinel} or {@code cluster}), starts a real {@code redis-server} from the
 * embedded-redis dependency, with AOF persistence under {@code latchkey.redis.embedded.data-dir}
 * and {@code noeviction}, and points Spring Data Redis at it.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedRedisConfiguration.NoExternalRedis.class)
class EmbeddedRedisConfiguration {

	private static final Log logger = LogFactory.getLog(EmbeddedRedisConfiguration.class);

	@Bean(destroyMethod = "stop")
	RedisServer embeddedRedisServer(LatchkeyProperties properties) throws IOException {
		LatchkeyProperties.Embedded embedded = properties.redis().embedded();
		Path dataDir = embedded.dataDir().toAbsolutePath();
		Files.createDirectories(dataDir);
		RedisServer server = RedisServer.newRedisServer()
			.port(embedded.port())
			.bind("127.0.0.1")
			.setting("dir " + dataDir)
			.setting("appendonly yes")
			.setting("appendfsync everysec")
			.setting("maxmemory-policy noeviction")
			.build();
		server.start();
		logger.info("No external Redis configured: started the embedded redis-server on 127.0.0.1:" + embedded.port()
				+ " with AOF persistence in " + dataDir);
		return server;
	}

	@Bean
	DataRedisConnectionDetails embeddedRedisConnectionDetails(RedisServer embeddedRedisServer,
			LatchkeyProperties properties) {
		int port = properties.redis().embedded().port();
		return new DataRedisConnectionDetails() {
			@Override
			public Standalone getStandalone() {
				return Standalone.of("127.0.0.1", port);
			}
		};
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
