package io.latchkey.authorization.redis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.event.AuditTrail;
import io.latchkey.authorization.support.Page;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * The audit trail as a capped Redis Stream ({@code XADD … MAXLEN ~}): what happened, who did it,
 * to whom, when. A failed write is logged as an error and never undoes nor stops what it records.
 * Read back newest first ({@code XREVRANGE}) in batches, filtered here; a page reads at most a
 * bounded number of entries, so a rare filter answers a short page with a cursor rather than
 * scanning the whole stream in one request.
 */
public final class RedisAuditLog implements AuditLog, AuditTrail {

	/** How many stream entries one page may read at most while filtering; the cursor goes on from there. */
	private static final int MAX_SCANNED = 5000;

	private static final int BATCH = 500;

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
			fields.putIfAbsent(details[i], details[i + 1]);
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

	@Override
	public AuditTrail.Page read(AuditTrail.Query query) {
		List<Map<String, String>> found = new ArrayList<>();
		String end = (query.cursor() != null) ? "(" + query.cursor() : "+";
		int scanned = 0;
		while (scanned < MAX_SCANNED) {
			List<MapRecord<String, Object, Object>> batch = this.redis.opsForStream()
				.reverseRange(this.key, Range.of(Range.Bound.unbounded(), bound(end)), Limit.limit().count(BATCH));
			if (batch == null || batch.isEmpty()) {
				return new AuditTrail.Page(found, null);
			}
			for (MapRecord<String, Object, Object> entry : batch) {
				scanned++;
				Map<String, String> fields = new LinkedHashMap<>();
				fields.put("id", entry.getId().getValue());
				entry.getValue().forEach((name, value) -> fields.put(String.valueOf(name), String.valueOf(value)));
				if (query.before(fields)) {
					return new AuditTrail.Page(found, null);
				}
				if (query.matches(fields)) {
					found.add(fields);
					if (found.size() == query.limit()) {
						return new AuditTrail.Page(found, entry.getId().getValue());
					}
				}
				end = "(" + entry.getId().getValue();
			}
			if (batch.size() < BATCH) {
				return new AuditTrail.Page(found, null);
			}
		}
		return new AuditTrail.Page(found, end.substring(1));
	}

	private static Range.Bound<String> bound(String end) {
		if ("+".equals(end)) {
			return Range.Bound.unbounded();
		}
		return end.startsWith("(") ? Range.Bound.exclusive(end.substring(1)) : Range.Bound.inclusive(end);
	}

}
