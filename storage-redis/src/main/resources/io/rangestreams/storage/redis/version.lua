-- Returns {len, etag, lm}, or {} when no version is bound.
local v = redis.call('HMGET', KEYS[1], 'len', 'etag', 'lm')
if not v[1] then
  return {}
end
return v
