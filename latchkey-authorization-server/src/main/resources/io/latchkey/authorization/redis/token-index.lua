-- Adds a token to its owner's index unless the owner already holds ARGV[4] tokens that have not
-- expired at ARGV[3] (epoch millis). KEYS[1]: the owner's index (token id to "digest expiry").
-- ARGV[1]: token id, ARGV[2]: "digest expiry-millis". Answers 1 if added, 0 if refused.
local live = 0
for _, entry in ipairs(redis.call('HVALS', KEYS[1])) do
	local expiry = tonumber(string.match(entry, ' (%d+)$') or '0')
	if expiry > tonumber(ARGV[3]) then live = live + 1 end
end
if live >= tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
