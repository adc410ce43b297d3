-- Undoes a claim that generated no token (the generation failed), so that it may be tried again.
-- KEYS[1]: the request.
if redis.call('HGET', KEYS[1], 'state') == 'claimed' and redis.call('HEXISTS', KEYS[1], 'tokenId') == 0 then
	redis.call('HSET', KEYS[1], 'state', 'approved')
	redis.call('HDEL', KEYS[1], 'claimedAt')
	return 1
end
return 0
