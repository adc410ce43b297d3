-- Puts back the claim held before a step of an unused token's way out that failed, only on a record
-- that still exists (a revocation that failed midway may have deleted it: nothing is recreated).
-- KEYS[1]: the record. ARGV[1]: the claim held before ('' if none). Answers 1 if put back.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == '' then
	redis.call('HDEL', KEYS[1], 'unused')
else
	redis.call('HSET', KEYS[1], 'unused', ARGV[1])
end
return 1
