-- Shared head of every script. A resource's keys share one hash tag: KEYS[1] is its metadata hash
-- (fields len, etag, lm, g, key), KEYS[2] its index (a sorted set of piece ids "<start>:<length>"
-- scored by start); a piece's bytes are the string "<base>p:<generation>:<id>" in the same slot.
local function fmt(n)
  return string.format('%d', n)
end

local function strong(e)
  if e == '' or string.sub(e, 1, 2) == 'W/' then
    return ''
  end
  return e
end

-- ResourceVersion.isSameVersion: equal lengths, then strong ETags, then ETags, then Last-Modified.
local function same(len, etag, lm, len2, etag2, lm2)
  if len ~= len2 then
    return false
  end
  local a, b = strong(etag), strong(etag2)
  if a ~= '' and b ~= '' then
    return a == b
  end
  if etag ~= '' and etag2 ~= '' and etag ~= etag2 then
    return false
  end
  if lm ~= '' and lm2 ~= '' then
    return lm == lm2
  end
  return true
end

local function piece(id)
  local s, l = string.match(id, '^(%d+):(%d+)$')
  return tonumber(s), tonumber(l)
end

local function pieceKey(gen, id)
  return string.sub(KEYS[1], 1, -2) .. 'p:' .. gen .. ':' .. id
end

-- Drops the index and, when the generation is known, every piece's bytes; returns the dropped ids.
local function dropAll(gen)
  local ids = redis.call('ZRANGE', KEYS[2], 0, -1)
  if gen then
    for _, id in ipairs(ids) do
      redis.call('DEL', pieceKey(gen, id))
    end
  end
  redis.call('DEL', KEYS[2])
  return ids
end

