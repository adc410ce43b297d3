-- Forgets delivered events of a Shared Signals stream; clears its overflow mark once the
-- stream-updated notice it names was acknowledged.
-- KEYS[1] the STREAM of events, KEYS[2] the HASH jti -> entry id, KEYS[3] the overflow mark
-- ARGV the jtis acknowledged
local notice = redis.call('GET', KEYS[3])
for _, jti in ipairs(ARGV) do
  local id = redis.call('HGET', KEYS[2], jti)
  if id then
    redis.call('XDEL', KEYS[1], id)
    redis.call('HDEL', KEYS[2], jti)
  end
  if notice and jti == notice then
    redis.call('DEL', KEYS[3])
  end
end
return 0
