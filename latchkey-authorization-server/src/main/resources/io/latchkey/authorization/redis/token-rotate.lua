-- Marks a token as rotated, once: it names its successor and stops working at ARGV[2].
-- KEYS[1]: the token's record. ARGV[1]: successor id; ARGV[2]: end (epoch millis); ARGV[3]: now.
-- Answers 1 if marked, 0 if the record is gone or expired, -1 if it was already rotated.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HEXISTS', KEYS[1], 'rotatedTo') == 1 then return -1 end
local expires = tonumber(redis.call('HGET', KEYS[1], 'expiresAt') or '0')
if expires and expires <= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], 'rotatedTo', ARGV[1], 'retiresAt', ARGV[2])
return 1
