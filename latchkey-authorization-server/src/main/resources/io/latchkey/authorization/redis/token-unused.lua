-- Claims one step of an unused token's way out, once across every instance: the notice of a stage
-- before its revocation, or the revocation itself; only while the record says what the claimer read
-- (not rotated, not used since), so that a use recorded meanwhile (token-touch) wins. A round is one
-- stretch without use, named by when it began: a use starts a new one, whose steps are claimed anew.
-- KEYS[1]: the record. ARGV[1]: its "last used" as the claimer read it ('' if never used);
-- ARGV[2]: the round (epoch millis); ARGV[3]: the stage (millis before the revocation; 0 is the
-- revocation); ARGV[4]: now (epoch millis); ARGV[5]: how long a claimed revocation is held before it
-- may be claimed again (millis), should its claimer have died midway.
-- Answers the claim held before ('' if none) when claimed, or false (nil) when not.
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
if redis.call('HEXISTS', KEYS[1], 'rotatedTo') == 1 then return nil end
if (redis.call('HGET', KEYS[1], 'lastUsedAt') or '') ~= ARGV[1] then return nil end
local previous = redis.call('HGET', KEYS[1], 'unused')
if previous then
	local round, stage, at = string.match(previous, '^(%d+) (%d+) (%d+)$')
	if round == ARGV[2] then
		local wanted = tonumber(ARGV[3])
		stage = tonumber(stage)
		if stage < wanted then return nil end
		if stage == wanted and (wanted > 0 or tonumber(at) > tonumber(ARGV[4]) - tonumber(ARGV[5])) then
			return nil
		end
	end
end
redis.call('HSET', KEYS[1], 'unused', ARGV[2] .. ' ' .. ARGV[3] .. ' ' .. ARGV[4])
return previous or ''
