-- ARGV: len, etag, lm, new generation, resource key. Returns {dropped another version (1/0),
-- old generation, dropped ids}.
local v = redis.call('HMGET', KEYS[1], 'len', 'etag', 'lm', 'g')
if v[1] and same(v[1], v[2], v[3], ARGV[1], ARGV[2], ARGV[3]) then
  return {0, '', {}}
end
-- Pieces without a version (Redis evicted the metadata) belong to no known version: dropped too.
local ids = dropAll(v[4])
redis.call('HSET', KEYS[1], 'len', ARGV[1], 'etag', ARGV[2], 'lm', ARGV[3], 'g', ARGV[4], 'key', ARGV[5])
return {v[1] and 1 or 0, v[4] or '', ids}
