-- Saves a new pending token request, unless its requester has ARGV[3] pending already
-- (pending requests older than ARGV[4] millis are no longer counted nor listed).
-- KEYS[1]: the request; KEYS[2]: the owner's requests; KEYS[3]: the owner's pending
-- requests; KEYS[4]: every pending request; KEYS[5]: the requests of whoever asked (the owner's
-- again, or a manager's who asked for somebody else's token). ARGV[1]: id; ARGV[2]: now (epoch millis);
-- ARGV[3]: most pending; ARGV[4]: kept for (millis); ARGV[5...]: the record's fields and values.
local oldest = tonumber(ARGV[2]) - tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. oldest)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. oldest)
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. oldest)
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', '(' .. oldest)
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[3]) then
	return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
for i = 2, 5 do
	redis.call('ZADD', KEYS[i], ARGV[2], ARGV[1])
end
return 1
