-- Takes or renews the right to push a Shared Signals stream's events.
-- KEYS[1] the lease; ARGV[1] who takes it, ARGV[2] for how many milliseconds
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
