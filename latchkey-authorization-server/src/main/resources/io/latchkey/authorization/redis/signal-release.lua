-- Gives up the right to push a Shared Signals stream's events, if still held.
-- KEYS[1] the lease; ARGV[1] who gives it up
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
