package io.latchkey.authorization.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.latchkey.authorization.signals.SignalStream;
import io.latchkey.authorization.signals.SignalStreamCodec;
import io.latchkey.authorization.signals.SignalStreams;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * Shared Signals streams in Redis: each receiver's stream as JSON, its undelivered events
 * in a capped Redis STREAM beside an index from event id to entry, an overflow mark
 * (outside the STREAM, so that the cap never drops it; it holds the id of the
 * {@code stream-updated} notice owed) and a push lease, all under the hash tag of its
 * client id (see {@link RedisKeys}), so that every multi-key change is one script, on a
 * Cluster too. Events survive a restart of every instance; they leave only when
 * acknowledged, dropped by the cap, or with their stream.
 */
public final class RedisSignalStreams implements SignalStreams {

	private static final RedisScript<Long> APPEND = LuaScripts.load("signal-append", Long.class);

	private static final RedisScript<Long> ACK = LuaScripts.load("signal-ack", Long.class);

	private static final RedisScript<Long> REPLACE = LuaScripts.load("signal-replace", Long.class);

	private static final RedisScript<Long> LEASE = LuaScripts.load("signal-lease", Long.class);

	private static final RedisScript<Long> RELEASE = LuaScripts.load("signal-release", Long.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final SignalStreamCodec codec = new SignalStreamCodec();

	public RedisSignalStreams(StringRedisTemplate redis, RedisKeys keys) {
		Assert.notNull(redis, "redis cannot be null");
		Assert.notNull(keys, "keys cannot be null");
		this.redis = redis;
		this.keys = keys;
	}

	@Override
	public Optional<SignalStream> find(String receiver) {
		return Optional.ofNullable(this.redis.opsForValue().get(this.keys.signalStream(receiver)))
			.map(this.codec::decode);
	}

	@Override
	public boolean create(SignalStream stream) {
		return Boolean.TRUE.equals(this.redis.opsForValue()
			.setIfAbsent(this.keys.signalStream(stream.receiver()), this.codec.encode(stream)));
	}

	@Override
	public boolean replace(SignalStream stream) {
		Long replaced = this.redis.execute(REPLACE, List.of(this.keys.signalStream(stream.receiver())),
				this.codec.encode(stream));
		return replaced != null && replaced == 1L;
	}

	@Override
	public boolean delete(String receiver) {
		boolean existed = Boolean.TRUE.equals(this.redis.hasKey(this.keys.signalStream(receiver)));
		this.redis.delete(List.of(this.keys.signalStream(receiver), this.keys.signalEvents(receiver),
				this.keys.signalEventIds(receiver), this.keys.signalOverflow(receiver),
				this.keys.signalVerified(receiver)));
		return existed;
	}

	@Override
	public boolean append(String receiver, String jti, String set, int maxEvents) {
		Long overflowed = this.redis.execute(APPEND, eventKeys(receiver), jti, set, Integer.toString(maxEvents),
				lostNoticeId());
		return overflowed != null && overflowed == 1L;
	}

	@Override
	public List<Pending> pending(String receiver, int max) {
		List<MapRecord<String, Object, Object>> records = this.redis.opsForStream()
			.range(this.keys.signalEvents(receiver), Range.unbounded(), Limit.limit().count(max));
		List<Pending> pending = new ArrayList<>();
		if (records != null) {
			for (MapRecord<String, Object, Object> record : records) {
				Map<Object, Object> fields = record.getValue();
				pending.add(new Pending(String.valueOf(fields.get("jti")), String.valueOf(fields.get("set"))));
			}
		}
		return pending;
	}

	@Override
	public Optional<String> lost(String receiver) {
		return Optional.ofNullable(this.redis.opsForValue().get(this.keys.signalOverflow(receiver)));
	}

	@Override
	public void markLost(String receiver) {
		// anew, so that acknowledging a notice given before this loss does not clear it
		this.redis.opsForValue().set(this.keys.signalOverflow(receiver), lostNoticeId());
	}

	@Override
	public void acknowledge(String receiver, Collection<String> jtis) {
		if (!jtis.isEmpty()) {
			this.redis.execute(ACK, eventKeys(receiver), jtis.toArray());
		}
	}

	@Override
	public void clear(String receiver) {
		this.redis.delete(List.of(this.keys.signalEvents(receiver), this.keys.signalEventIds(receiver),
				this.keys.signalOverflow(receiver)));
	}

	@Override
	public Duration claimVerification(String receiver, Duration interval) {
		String key = this.keys.signalVerified(receiver);
		if (Boolean.TRUE.equals(this.redis.opsForValue().setIfAbsent(key, "1", interval))) {
			return Duration.ZERO;
		}
		Long left = this.redis.getExpire(key, TimeUnit.MILLISECONDS);
		return Duration.ofMillis((left != null && left > 0) ? left : 1);
	}

	@Override
	public boolean lease(String receiver, String owner, Duration ttl) {
		Long taken = this.redis.execute(LEASE, List.of(this.keys.signalLease(receiver)), owner,
				Long.toString(ttl.toMillis()));
		return taken != null && taken == 1L;
	}

	@Override
	public void release(String receiver, String owner) {
		this.redis.execute(RELEASE, List.of(this.keys.signalLease(receiver)), owner);
	}

	private static String lostNoticeId() {
		return LOST_NOTICE_PREFIX + UUID.randomUUID();
	}

	private List<String> eventKeys(String receiver) {
		return List.of(this.keys.signalEvents(receiver), this.keys.signalEventIds(receiver),
				this.keys.signalOverflow(receiver));
	}

}
