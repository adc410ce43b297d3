package io.latchkey.authorization.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.event.AuditTrail;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * The audit trail as two capped Redis Streams ({@code XADD … MAXLEN ~}): the lifecycle
 * trail (who created and revoked which token, user and group changes, notices), and apart
 * from it the summaries of failed and throttled attempts, which anyone can cause: one
 * record per kind, subject, address and window, whose count grows in a hash beside it, so
 * that guessing writes few records and never trims the lifecycle trail. A failed write is
 * logged as an error and never undoes nor stops what it records. Both are read back
 * together, newest first ({@code XREVRANGE}) in batches, filtered here; a page reads at
 * most a bounded number of entries, so a rare filter answers a short page with a cursor
 * rather than scanning the whole streams in one request.
 */
public final class RedisAuditLog implements AuditLog, AuditTrail {

	/**
	 * How many stream entries one page may read at most while filtering; the cursor goes
	 * on from there.
	 */
	private static final int MAX_SCANNED = 5000;

	private static final int BATCH = 500;

	/**
	 * The most distinct attempt summaries one window holds; beyond, they are counted
	 * together per kind.
	 */
	private static final int MAX_SUMMARIES_PER_WINDOW = 1000;

	/** How long a window's counts are kept. */
	private static final Duration COUNTS_KEPT = Duration.ofDays(30);

	private static final RedisScript<Long> ATTEMPT = LuaScripts.load("attempt-count", Long.class);

	private static final Log logger = LogFactory.getLog(RedisAuditLog.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final long maxLength;

	private final long attemptsMaxLength;

	private final Duration window;

	private final Clock clock;

	/**
	 * @param maxLength the lifecycle trail's approximate cap
	 * @param attemptsMaxLength the attempts stream's approximate cap
	 * @param window the window attempts are summarised over
	 */
	public RedisAuditLog(StringRedisTemplate redis, RedisKeys keys, long maxLength, long attemptsMaxLength,
			Duration window, Clock clock) {
		Assert.notNull(redis, "redis cannot be null");
		Assert.notNull(keys, "keys cannot be null");
		Assert.isTrue(window.isPositive(), "window must be positive");
		Assert.notNull(clock, "clock cannot be null");
		this.redis = redis;
		this.keys = keys;
		this.maxLength = maxLength;
		this.attemptsMaxLength = attemptsMaxLength;
		this.window = window;
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
				.add(StreamRecords.newRecord().in(this.keys.audit()).ofMap(fields),
						XAddOptions.maxlen(this.maxLength).approximateTrimming(true));
		}
		catch (DataAccessException ex) {
			lost(type, actor, ex);
		}
	}

	@Override
	public void attempt(String type, String subjectField, String subject, @Nullable String address) {
		Instant now = this.clock.instant();
		long windowMillis = this.window.toMillis();
		long start = Math.floorDiv(now.toEpochMilli(), windowMillis) * windowMillis;
		String where = String.valueOf(address);
		try {
			this.redis.execute(ATTEMPT, List.of(this.keys.attemptCounts(start), this.keys.attempts()),
					type + " " + subject + " " + where, Integer.toString(MAX_SUMMARIES_PER_WINDOW),
					Long.toString(COUNTS_KEPT.toMillis()), Long.toString(this.attemptsMaxLength),
					type + " (many) (many)", type, subjectField, subject, where, now.toString(),
					Instant.ofEpochMilli(start).toString(), Instant.ofEpochMilli(start + windowMillis).toString());
		}
		catch (DataAccessException ex) {
			lost(type, subject, ex);
		}
	}

	private static void lost(String type, String actor, DataAccessException ex) {
		logger.error("Could not write the audit record '" + type + "' by '" + actor + "' to Redis: "
				+ ex.getClass().getSimpleName());
	}

	/**
	 * Both streams merged, newest first; an attempt summary carries its {@code count} so
	 * far.
	 */
	@Override
	public AuditTrail.Page read(AuditTrail.Query query) {
		Reader lifecycle = new Reader(this.keys.audit(), query.cursor());
		Reader attempts = new Reader(this.keys.attempts(), query.cursor());
		List<Map<String, String>> found = new ArrayList<>();
		String lastTaken = query.cursor();
		int scanned = 0;
		while (scanned < MAX_SCANNED) {
			Map<String, String> a = lifecycle.peek();
			Map<String, String> b = attempts.peek();
			if (a == null && b == null) {
				return new AuditTrail.Page(withCounts(found), null);
			}
			Map<String, String> next = (b == null || (a != null && newer(a.get("id"), b.get("id")))) ? lifecycle.take()
					: attempts.take();
			scanned++;
			lastTaken = next.get("id");
			if (query.before(next)) {
				return new AuditTrail.Page(withCounts(found), null);
			}
			if (query.matches(next)) {
				found.add(next);
				if (found.size() == query.limit()) {
					return new AuditTrail.Page(withCounts(found), next.get("id"));
				}
			}
		}
		return new AuditTrail.Page(withCounts(found), lastTaken);
	}

	/** Each attempt summary's current count, read from its window's hash. */
	private List<Map<String, String>> withCounts(List<Map<String, String>> records) {
		for (Map<String, String> record : records) {
			String summary = record.remove("summary");
			String start = record.get("window_start");
			if (summary == null || start == null) {
				continue;
			}
			Object count = this.redis.opsForHash().get(this.keys.attemptCounts(epochMillis(start)), summary);
			if (count != null) {
				record.put("count", String.valueOf(count));
			}
		}
		return records;
	}

	private static long epochMillis(String instant) {
		try {
			return Instant.parse(instant).toEpochMilli();
		}
		catch (RuntimeException ex) {
			return 0;
		}
	}

	/**
	 * Whether stream id {@code one} is newer than {@code other}
	 * ({@code millis-sequence}).
	 */
	static boolean newer(String one, String other) {
		return compare(one, other) > 0;
	}

	private static int compare(String one, String other) {
		String[] a = one.split("-", 2);
		String[] b = other.split("-", 2);
		int byTime = Long.compare(Long.parseLong(a[0]), Long.parseLong(b[0]));
		return (byTime != 0) ? byTime : Long.compare(Long.parseLong(a[1]), Long.parseLong(b[1]));
	}

	/** One stream, read newest first in batches below an exclusive bound. */
	private final class Reader {

		private final String key;

		private final Deque<Map<String, String>> batch = new ArrayDeque<>();

		private @Nullable String below;

		private boolean exhausted;

		Reader(String key, @Nullable String cursor) {
			this.key = key;
			this.below = cursor;
		}

		@Nullable Map<String, String> peek() {
			if (this.batch.isEmpty() && !this.exhausted) {
				fill();
			}
			return this.batch.peekFirst();
		}

		Map<String, String> take() {
			return this.batch.removeFirst();
		}

		private void fill() {
			Range<String> range = Range.of(Range.Bound.unbounded(),
					(this.below != null) ? Range.Bound.exclusive(this.below) : Range.Bound.unbounded());
			List<MapRecord<String, Object, Object>> records = RedisAuditLog.this.redis.opsForStream()
				.reverseRange(this.key, range, Limit.limit().count(BATCH));
			if (records == null || records.isEmpty()) {
				this.exhausted = true;
				return;
			}
			for (MapRecord<String, Object, Object> entry : records) {
				Map<String, String> fields = new LinkedHashMap<>();
				fields.put("id", entry.getId().getValue());
				entry.getValue().forEach((name, value) -> fields.put(String.valueOf(name), String.valueOf(value)));
				this.batch.addLast(fields);
				this.below = entry.getId().getValue();
			}
			if (records.size() < BATCH) {
				this.exhausted = true;
			}
		}

	}

}
