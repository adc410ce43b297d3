-- Claims an approved token request made by ARGV[1], once, while its window is open: answers the
-- state it had ('approved' if this claimed it, 'lapsed' if its window has passed, '' if there
-- is no such request made by that user). Whoever asked for it claims it: its owner, or the
-- manager who asked for somebody else's token (requestedBy; a record without it, its owner).
-- KEYS[1]: the request. ARGV[1]: who claims, in lower case; ARGV[2]: now (epoch millis).
local request = redis.call('HMGET', KEYS[1], 'state', 'owner', 'claimBy', 'requestedBy')
local by = request[4] or request[2]
if not request[1] or not by or string.lower(by) ~= ARGV[1] then
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
