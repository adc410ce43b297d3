-- Applies a directory change only if the directory did not change since it was read.
-- KEYS[1]: the directory's version counter; KEYS[2..]: every key the operations touch.
-- ARGV[1]: the version the change was read at; then operations, each:
--   name (HSET, HDEL, SADD, SREM, DEL), index into KEYS, argument count, arguments.
-- Answers the new version, or -1 if the directory changed meanwhile (nothing written).
local version = redis.call('GET', KEYS[1]) or '0'
if version ~= ARGV[1] then return -1 end
local allowed = {HSET = true, HDEL = true, SADD = true, SREM = true, DEL = true}
local i = 2
while i <= #ARGV do
	local op, key, n = ARGV[i], KEYS[tonumber(ARGV[i + 1])], tonumber(ARGV[i + 2])
	if not allowed[op] then return redis.error_reply('operation not allowed: ' .. op) end
	redis.call(op, key, unpack(ARGV, i + 3, i + 2 + n))
	i = i + 3 + n
end
return redis.call('INCR', KEYS[1])
