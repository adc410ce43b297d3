-- Drops owners from the set of owners with tokens once their index is gone (they have no token
-- left), each in the same step as the check, so that a token indexed meanwhile keeps its owner in
-- the set. KEYS[1]: the set of owners with tokens; KEYS[2..]: the owners' indexes. ARGV[1..]: the
-- owners, in lower case, in the order of their indexes. Answers how many were dropped.
local dropped = 0
for i, owner in ipairs(ARGV) do
	if redis.call('EXISTS', KEYS[i + 1]) == 0 then
		dropped = dropped + redis.call('SREM', KEYS[1], owner)
	end
end
return dropped
