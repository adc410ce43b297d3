-- Claims an approved token request of ARGV[1], once, while its window is open: answers the
-- state it had ('approved' if this claimed it, 'lapsed' if its window has passed, '' if there
-- is no such request of that requester).
-- KEYS[1]: the request. ARGV[1]: the requester, in lower case; ARGV[2]: now (epoch millis).
local request = redis.call('HMGET', KEYS[1], 'state', 'owner', 'claimBy')
if not request[1] or string.lower(request[2]) ~= ARGV[1] then
	return ''
end
if request[1] ~= 'approved' then
	return request[1]
end
if tonumber(request[3]) <= tonumber(ARGV[2]) then
	return 'lapsed'
end
redis.call('HSET', KEYS[1], 'state', 'claimed', 'claimedAt', ARGV[2])
return 'approved'
