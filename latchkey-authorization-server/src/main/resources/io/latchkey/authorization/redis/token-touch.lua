-- Records a token's use, only on a record that still exists (a revoked token stays deleted):
-- "last used" if the recorded one is older than the interval (another instance may have written
-- it meanwhile), and the client address among the last distinct ones (newest first, at most
-- ARGV[5]) unless that address was recorded within the interval.
-- KEYS[1]: the record's hash. ARGV[1]: when (epoch millis); ARGV[2]: "last used from";
-- ARGV[3]: the interval in milliseconds; ARGV[4]: the client address or ''; ARGV[5]: how many
-- addresses to keep. Answers {written} (1 if anything was written), or, when the address was not
-- among the recorded ones at all, {written, the recorded addresses before this use ('' if none)}:
-- the caller decides from them, atomically with this write, whether the address is new.
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
local at, interval = tonumber(ARGV[1]), tonumber(ARGV[3])
local written = 0
local last = tonumber(redis.call('HGET', KEYS[1], 'lastUsedAt') or '0') or 0
if last <= at - interval then
	redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[1], 'lastUsedFrom', ARGV[2])
	written = 1
end
if ARGV[4] == '' then return {written} end
local kept, fresh, seen, before = {ARGV[4], ARGV[1]}, true, false, {}
for address, when in string.gmatch(redis.call('HGET', KEYS[1], 'uses') or '', '(%S+) (%d+)') do
	table.insert(before, address)
	if address == ARGV[4] then
		seen = true
		if tonumber(when) > at - interval then fresh = false end
	elseif #kept < 2 * tonumber(ARGV[5]) then
		table.insert(kept, address)
		table.insert(kept, when)
	end
end
if fresh then
	redis.call('HSET', KEYS[1], 'uses', table.concat(kept, ' '))
	written = 1
end
if seen then return {written} end
return {written, table.concat(before, ' ')}
