-- Approves or denies a pending token request, once: answers the state it had ('' if gone).
-- KEYS[1]: the request; KEYS[2]: the requester's pending requests; KEYS[3]: every pending
-- request. ARGV[1]: id; ARGV[2]: new state; ARGV[3]: decided by; ARGV[4]: reason;
-- ARGV[5]: decided at (epoch millis); ARGV[6]: claim by (epoch millis); ARGV[7]: kept for (millis).
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
	return ''
end
if state ~= 'pending' then
	return state
end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'decidedBy', ARGV[3], 'reason', ARGV[4], 'decidedAt', ARGV[5],
	'claimBy', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return state
