-- ARGV: members just read; they become the most recently used.
local t = redis.call('INCR', KEYS[3])
for i = 1, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', t, ARGV[i])
end
return {}
