package io.latchkey.authorization.redis;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.latchkey.authorization.event.AuditLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * The audit trail as a capped Redis Stream ({@code XADD … MAXLEN ~}): what happened, who did it,
 * to whom, when. A failed write is logged as an error and never undoes nor stops what it records.
 */
public final class RedisAuditLog implements AuditLog {

	private static final Log logger = LogFactory.getLog(RedisAuditLog.class);

	private final StringRedisTemplate redis;

	private final String key;

	private final long maxLength;

	private final Clock clock;

	public RedisAuditLog(StringRedisTemplate redis, RedisKeys keys, long maxLength, Clock clock) {
		Assert.notNull(redis, "redis cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.redis = redis;
		this.key = keys.audit();
		this.maxLength = maxLength;
		this.clock = clock;
	}

	@Override
	public void record(String type, String actor, String... details) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("type", type);
		fields.put("actor", actor);
		fields.put("at", this.clock.instant().toString());
		for (int i = 0; i + 1 < details.length; i += 2) {
			fields.put(details[i], details[i + 1]);
		}
		try {
			this.redis.opsForStream()
				.add(StreamRecords.newRecord().in(this.key).ofMap(fields),
						XAddOptions.maxlen(this.maxLength).approximateTrimming(true));
		}
		catch (DataAccessException ex) {
			logger.error("Could not write the audit record '" + type + "' by '" + actor + "' to Redis: "
					+ ex.getClass().getSimpleName());
		}
	}

}
