package io.latchkey.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.latchkey.authorization.redis.RedisKeys;
import io.latchkey.authorization.redis.TokenRecordCodec;
import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.core.TokenDigest;
import io.latchkey.core.TokenFormat;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * Writes token records straight into Redis for the benchmark, laid out by the library's
 * own {@link TokenRecordCodec} (so the bench measures the records the auth server
 * writes), pipelined in batches:
 * {@code LoadTokens <redis-url> <key-prefix> <count> <owner> <owner-uid> <out-file>}.
 * Each line of the out file is a record's key and its token string, for the bench to
 * measure and present. The records get no index entry (the bench's owners list nothing)
 * and live 60 days.
 */
public final class LoadTokens {

	private static final int BATCH = 10_000;

	private static final Duration RETENTION = Duration.ofDays(60);

	private LoadTokens() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length != 6) {
			System.err.println("usage: LoadTokens <redis-url> <key-prefix> <count> <owner> <owner-uid> <out-file>");
			System.exit(2);
		}
		RedisKeys keys = new RedisKeys(args[1]);
		int count = Integer.parseInt(args[2]);
		TokenFormat format = new TokenFormat("lkp");
		SecureRandom random = new SecureRandom();
		Instant now = Instant.now();
		RedisClient client = RedisClient.create(args[0]);
		try (StatefulRedisConnection<String, String> connection = client.connect();
				Writer out = Files.newBufferedWriter(Path.of(args[5]), StandardCharsets.UTF_8)) {
			RedisAsyncCommands<String, String> redis = connection.async();
			connection.setAutoFlushCommands(false);
			List<RedisFuture<?>> pending = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				String value = format.generate();
				PersonalAccessToken token = PersonalAccessToken.builder()
					.id(TokenFormat.randomBase62(random, 16))
					.digest(TokenDigest.of(value), format.hint(value))
					.owner(args[3], args[4])
					.created(now, args[3])
					.expiresAt(now.plus(Duration.ofDays(30)))
					.build();
				String key = keys.token(token.digest());
				pending.add(redis.hset(key, TokenRecordCodec.encode(token)));
				pending.add(redis.pexpire(key, RETENTION.toMillis()));
				out.write(key + " " + value + "\n");
				if (pending.size() >= BATCH) {
					flush(connection, pending);
				}
			}
			flush(connection, pending);
		}
		finally {
			client.shutdown();
		}
	}

	private static void flush(StatefulRedisConnection<String, String> connection, List<RedisFuture<?>> pending) {
		connection.flushCommands();
		if (!LettuceFutures.awaitAll(60, TimeUnit.SECONDS, pending.toArray(RedisFuture[]::new))) {
			throw new IllegalStateException("Redis did not answer within 60 s");
		}
		pending.clear();
	}

}
