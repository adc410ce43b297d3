-- Takes a token out of its owner's index and the expiry schedule, or (with ARGV[3]) keeps its
-- index entry with a new end, so that a rotated token stops counting as live once it retires.
-- KEYS[1]: the owner's index; KEYS[2]: the expiry schedule. ARGV[1]: token id; ARGV[2]: digest;
-- ARGV[3]: optional end (epoch millis).
if ARGV[3] and ARGV[3] ~= '' then
	redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ' ' .. ARGV[3])
else
	redis.call('HDEL', KEYS[1], ARGV[1])
end
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
