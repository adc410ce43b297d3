package io.latchkey.e2e;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

/**
 * A Redis ACL user for a resource service, made the way the README and {@code docker/}
 * make it: it may only subscribe to the events channel and use keys under its own prefix;
 * it can neither read nor write the auth server's keys, nor publish events.
 */
record RestrictedRedisUser(String username, String password, String keyPrefix, String channel) {

	/**
	 * The commands the sample resource API needs: subscribing, its health check, its
	 * projects, and on a Cluster reading the topology.
	 */
	static final String COMMANDS = "-@all +ping +hello +auth +echo +info +client|setname +subscribe +unsubscribe "
			+ "+get +set +incr +del +exists +expire +pexpire +hset +hmset +hget +hgetall +hdel +zadd +zrange +zrem +zcard "
			+ "+cluster|nodes +cluster|slots +cluster|shards +cluster|myid +readonly";

	static RestrictedRedisUser of(String username, String keyPrefix, String channel) {
		return new RestrictedRedisUser(username, UUID.randomUUID().toString().replace("-", ""), keyPrefix, channel);
	}

	/**
	 * Creates (or resets) the user on the Redis reachable at {@code admin}; answers its
	 * own address there.
	 */
	URI applyTo(URI admin) {
		List<String> rules = new ArrayList<>(List.of("reset", "on", ">" + this.password, "~" + this.keyPrefix + ":*",
				"resetchannels", "&" + this.channel));
		rules.addAll(List.of(COMMANDS.split(" ")));
		try (RedisClient client = RedisClient.create(admin.toString());
				StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync()
				.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8),
						new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(this.username).addValues(rules));
		}
		return URI
			.create("redis://" + this.username + ":" + this.password + "@" + admin.getHost() + ":" + admin.getPort());
	}

}
