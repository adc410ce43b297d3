-- Replaces a Shared Signals stream only if it still exists.
-- KEYS[1] the stream; ARGV[1] its new JSON
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
