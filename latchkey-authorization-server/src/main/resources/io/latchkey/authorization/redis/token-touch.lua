-- Records a token's last use only on a record that still exists: a revoked token stays deleted.
-- KEYS[1]: the record's hash; ARGV[1]: when; ARGV[2]: from where.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[1], 'lastUsedFrom', ARGV[2])
return 1
