-- Keeps one event of a Shared Signals stream, dropping the oldest while the stream is full.
-- KEYS[1] the STREAM of events, KEYS[2] the HASH jti -> entry id, KEYS[3] the overflow mark
-- ARGV[1] jti, ARGV[2] the signed event, ARGV[3] the most events kept,
-- ARGV[4] a new jti for the stream-updated notice owed if this drops events
-- Every drop marks the stream anew, so that acknowledging a notice given before this drop
-- does not clear it. The mark (holding that jti) stays until the receiver acknowledges the
-- notice it names: it is never dropped by the cap. Answers 1 when events were dropped from a
-- stream that was not marked yet.
local max = tonumber(ARGV[3])
local dropped = false
while redis.call('XLEN', KEYS[1]) >= max do
  local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
  redis.call('XDEL', KEYS[1], oldest[1])
  local fields = oldest[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'jti' then
      redis.call('HDEL', KEYS[2], fields[i + 1])
    end
  end
  dropped = true
end
local id = redis.call('XADD', KEYS[1], '*', 'jti', ARGV[1], 'set', ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], id)
if dropped then
  local marked = redis.call('EXISTS', KEYS[3])
  redis.call('SET', KEYS[3], ARGV[4])
  if marked == 0 then
    return 1
  end
end
return 0
