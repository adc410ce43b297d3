-- Keeps one event of a Shared Signals stream, dropping the oldest while the stream is full.
-- KEYS[1] the STREAM of events, KEYS[2] the HASH jti -> entry id, KEYS[3] the overflow mark
-- ARGV[1] jti, ARGV[2] the signed event, ARGV[3] the most events kept,
-- ARGV[4] '1' when this event is the notice that events were lost (the mark then names it)
-- Answers 1 when events were dropped and the receiver holds no notice of it: its notice was
-- never kept, was acknowledged, or was itself dropped.
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
if ARGV[4] == '1' then
  redis.call('SET', KEYS[3], ARGV[1])
  return 0
end
if dropped then
  local notice = redis.call('GET', KEYS[3])
  if notice == false or redis.call('HEXISTS', KEYS[2], notice) == 0 then
    return 1
  end
end
return 0
