-- Ends a rotated token's overlap early: it stops working at ARGV[1] (epoch millis) unless it
-- already stops sooner, and only if its record still exists. KEYS[1]: the token's record.
-- Answers 1 if its end moved.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local retires = tonumber(redis.call('HGET', KEYS[1], 'retiresAt') or '')
if retires and retires <= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'retiresAt', ARGV[1])
return 1
