-- Counts one failed or throttled attempt into its window's summary, and writes the summary's
-- record to the attempts stream the first time it is counted: one record per kind, subject
-- (a username or a client), address and window, whatever the number of attempts. Past
-- ARGV[2] distinct summaries in one window, further ones are counted together per kind, as
-- subject and address '(many)', so that no flood of addresses makes more records.
-- KEYS[1]: the window's counts (HASH of summary to count); KEYS[2]: the attempts stream.
-- ARGV[1]: the summary's field; ARGV[2]: the most distinct summaries per window; ARGV[3]: how
-- long the counts are kept (ms); ARGV[4]: the stream's approximate cap; ARGV[5]: the kind's
-- overflow field; ARGV[6]: type; ARGV[7]: the subject's field name (username or client);
-- ARGV[8]: subject; ARGV[9]: address; ARGV[10]: when (ISO-8601); ARGV[11], ARGV[12]: the
-- window's start and end (ISO-8601). Answers the summary's count.
local field, subject, address = ARGV[1], ARGV[8], ARGV[9]
local count = redis.call('HINCRBY', KEYS[1], field, 1)
if count == 1 and redis.call('HLEN', KEYS[1]) > tonumber(ARGV[2]) then
	redis.call('HDEL', KEYS[1], field)
	field, subject, address = ARGV[5], '(many)', '(many)'
	count = redis.call('HINCRBY', KEYS[1], field, 1)
end
if count == 1 then
	redis.call('PEXPIRE', KEYS[1], ARGV[3])
	redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'type', ARGV[6], 'actor', subject, ARGV[7], subject,
		'address', address, 'at', ARGV[10], 'window_start', ARGV[11], 'window_end', ARGV[12], 'summary', field)
end
return count
