-- ARGV: len, etag, lm, position, bytes (at most MAX_PIECE). Stores the bytes not yet held as new
-- pieces if the version is the bound one. Returns {-1} when no version is bound, {0} when another
-- is, else {1, generation, new ids}.
local v = redis.call('HMGET', KEYS[1], 'len', 'etag', 'lm', 'g')
if not v[1] then
  return {-1}
end
if not same(v[1], v[2], v[3], ARGV[1], ARGV[2], ARGV[3]) then
  return {0}
end
local pos = tonumber(ARGV[4])
local data = ARGV[5]
local stop = pos + #data
local out = {1, v[4]}
local function put(a, b)
  local id = fmt(a) .. ':' .. fmt(b - a)
  redis.call('SET', pieceKey(v[4], id), string.sub(data, a - pos + 1, b - pos))
  redis.call('ZADD', KEYS[2], a, id)
  out[#out + 1] = id
end
local cur = pos
-- No piece is longer than MAX_PIECE, so one starting further back cannot reach pos.
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], fmt(pos - MAX_PIECE), '(' .. fmt(stop))) do
  local s, l = piece(id)
  local e = s + l
  if e > cur then
    if s > cur then
      put(cur, s)
    end
    cur = e
  end
end
if cur < stop then
  put(cur, stop)
end
return out
