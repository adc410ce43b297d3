-- Forgets delivered events of a Shared Signals stream; clears its overflow mark once it holds none.
-- KEYS[1] the STREAM of events, KEYS[2] the HASH jti -> entry id, KEYS[3] the overflow mark
-- ARGV the jtis acknowledged
for _, jti in ipairs(ARGV) do
  local id = redis.call('HGET', KEYS[2], jti)
  if id then
    redis.call('XDEL', KEYS[1], id)
    redis.call('HDEL', KEYS[2], jti)
  end
end
if redis.call('XLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[3])
end
return 0
