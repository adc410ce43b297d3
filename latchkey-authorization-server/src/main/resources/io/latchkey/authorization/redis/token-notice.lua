-- Claims the right to send a token's expiry notice of one stage, once across every instance: only
-- if no notice of that stage or a later one was claimed. KEYS[1]: the token's record.
-- ARGV[1]: the stage (days before expiry; 0 is "expired"). Answers the previously claimed stage
-- (or '' if none) when claimed, or false (nil) when not: the record is gone, or a notice of this
-- stage or a later one was already sent.
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
local previous = redis.call('HGET', KEYS[1], 'notice')
if previous and tonumber(previous) <= tonumber(ARGV[1]) then return nil end
redis.call('HSET', KEYS[1], 'notice', ARGV[1])
return previous or ''
