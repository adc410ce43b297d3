-- An owner's state in one round trip. KEYS[1]: the user's hash; KEYS[2]: the groups hash.
-- Answers 'missing', or 'found', username, uid, enabled flag, stamp, then the rights of each of
-- its groups (space-separated). (A bare Lua false would reach Java as a list holding null.)
local user = redis.call('HMGET', KEYS[1], 'username', 'uid', 'enabled', 'groups', 'stamp')
if not user[2] then return {'missing'} end
local out = {'found', user[1], user[2], user[3] or '0', user[5] or ''}
for group in string.gmatch(user[4] or '', '%S+') do
	local rights = redis.call('HGET', KEYS[2], group)
	if rights then table.insert(out, rights) end
end
return out
