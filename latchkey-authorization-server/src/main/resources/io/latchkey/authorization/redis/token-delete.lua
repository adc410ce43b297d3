-- Deletes a token record and answers, read in the same step, whether it existed and the id of
-- the token it had been rotated into ('' if none): a rotation that marked the record before the
-- deletion is then always seen by the revocation. KEYS[1]: the record's hash.
local rotated = redis.call('HGET', KEYS[1], 'rotatedTo') or ''
local existed = redis.call('DEL', KEYS[1])
return {existed, rotated}
