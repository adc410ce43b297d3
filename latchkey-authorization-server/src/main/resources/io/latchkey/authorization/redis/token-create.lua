-- Writes a token record and its time to live in one step. KEYS[1]: the record's hash.
-- ARGV[1]: time to live in milliseconds; ARGV[2..]: field, value, field, value, ...
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
