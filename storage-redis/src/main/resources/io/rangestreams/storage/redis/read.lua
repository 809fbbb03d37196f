-- ARGV: position, most bytes, the caller's version (len '-' for any). Returns {bytes held
-- contiguously from position, generation, ids read, ids whose bytes Redis evicted (now unindexed)}.
local v = redis.call('HMGET', KEYS[1], 'len', 'etag', 'lm', 'g')
if not v[1] or (ARGV[3] ~= '-' and not same(v[1], v[2], v[3], ARGV[3], ARGV[4], ARGV[5])) then
  return {'', '', {}, {}}
end
local cur = tonumber(ARGV[1])
local stop = cur + tonumber(ARGV[2])
local parts, used, lost = {}, {}, {}
while cur < stop do
  local f = redis.call('ZREVRANGEBYSCORE', KEYS[2], fmt(cur), '-inf', 'LIMIT', 0, 1)
  if #f == 0 then
    break
  end
  local s, l = piece(f[1])
  if s + l <= cur then
    break
  end
  local last = math.min(s + l, stop) - 1
  local d = redis.call('GETRANGE', pieceKey(v[4], f[1]), fmt(cur - s), fmt(last - s))
  if d == '' then
    -- A piece is never empty: its key is gone (Redis's own eviction), so its index entry goes too.
    redis.call('ZREM', KEYS[2], f[1])
    lost[#lost + 1] = f[1]
    break
  end
  parts[#parts + 1] = d
  used[#used + 1] = f[1]
  cur = last + 1
end
-- One piece (the usual read) needs no concatenation, which would copy it once more.
return {#parts == 1 and parts[1] or table.concat(parts), v[4], used, lost}
