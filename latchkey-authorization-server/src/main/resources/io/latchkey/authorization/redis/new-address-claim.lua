-- Claims the notice about a token's use from a network, once per period across instances: by the
-- application's clock (ARGV[1], epoch millis), so that an injected clock governs it, and with a
-- TTL of the period so that the key never outlives it.
-- KEYS[1]: the claim's key. ARGV[1]: now (epoch millis); ARGV[2]: the period in milliseconds.
-- Answers 1 if claimed now, 0 if claimed within the period before.
local last = tonumber(redis.call('GET', KEYS[1]) or '')
if last ~= nil and last > tonumber(ARGV[1]) - tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
