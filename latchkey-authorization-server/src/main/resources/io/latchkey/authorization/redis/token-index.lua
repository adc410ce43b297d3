-- Adds a token to its owner's index (and to the schedule of expiry notices) unless the owner
-- already holds ARGV[4] tokens that have not expired at ARGV[3] (epoch millis).
-- KEYS[1]: the owner's index (token id to "digest expiry"); KEYS[2]: the notice schedule (ZSET of
-- digests by when their next notice is due); KEYS[3]: the set of owners with tokens, which the pass
-- over idle tokens reads. ARGV[1]: token id, ARGV[2]: "digest expiry-millis", ARGV[5]: digest,
-- ARGV[6]: when its first notice is due, ARGV[7]: first notices due before this are dropped (their
-- tokens expired longer ago than records are kept: notices are off); ARGV[8]: the owner, in lower
-- case.
-- Answers 1 if added, 0 if refused.
local live = 0
for _, entry in ipairs(redis.call('HVALS', KEYS[1])) do
	local expiry = tonumber(string.match(entry, ' (%d+)$') or '0')
	if expiry > tonumber(ARGV[3]) then live = live + 1 end
end
if live >= tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[7])
redis.call('SADD', KEYS[3], ARGV[8])
return 1
