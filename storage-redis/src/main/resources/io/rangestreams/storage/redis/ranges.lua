-- ARGV: the caller's version (len '-' for any). Returns the held ranges as flat start, stop pairs,
-- merged; none when another version is bound.
local v = redis.call('HMGET', KEYS[1], 'len', 'etag', 'lm')
if not v[1] or (ARGV[1] ~= '-' and not same(v[1], v[2], v[3], ARGV[1], ARGV[2], ARGV[3])) then
  return {}
end
local out = {}
local cs, ce
for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local s, l = piece(id)
  local e = s + l
  if cs and s <= ce then
    if e > ce then
      ce = e
    end
  else
    if cs then
      out[#out + 1] = cs
      out[#out + 1] = ce
    end
    cs, ce = s, e
  end
end
if cs then
  out[#out + 1] = cs
  out[#out + 1] = ce
end
return out
