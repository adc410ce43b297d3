package io.latchkey.auth.system;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.latchkey.auth.LatchkeyProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Appends audit events to a capped Redis Stream: what happened, who did it, to whom. Token ids
 * and hints only, never token values, never passwords. Callers write the audit record after the
 * change and its event: a failed audit write is logged as an error and never undoes nor stops
 * what it records.
 */
@Component
public class AuditLog {

	private static final Log logger = LogFactory.getLog(AuditLog.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final long maxLength;

	private final Clock clock;

	public AuditLog(StringRedisTemplate redis, RedisKeys keys, LatchkeyProperties properties, Clock clock) {
		this.redis = redis;
		this.keys = keys;
		this.maxLength = properties.redis().auditMaxLength();
		this.clock = clock;
	}

	/** Records {@code type} done by {@code actor}; {@code details} alternate names and values. */
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
				.add(StreamRecords.newRecord().in(this.keys.audit()).ofMap(fields),
						XAddOptions.maxlen(this.maxLength).approximateTrimming(true));
		}
		catch (DataAccessException ex) {
			logger.error("Could not write the audit record '" + type + "' by '" + actor + "' to Redis: "
					+ ex.getClass().getSimpleName());
		}
	}

}
