-- ARGV: maxBytes (0 for no limit), new members. Counts them as most recently used, then takes the
-- least recently used members out until held fits the limit; returns those victims.
local t = redis.call('INCR', KEYS[3])
local held = tonumber(redis.call('GET', KEYS[2]) or '0')
for i = 2, #ARGV do
  if redis.call('ZADD', KEYS[1], t, ARGV[i]) == 1 then
    held = held + size(ARGV[i])
  end
end
local max = tonumber(ARGV[1])
local victims = {}
while max > 0 and held > max do
  local v = redis.call('ZPOPMIN', KEYS[1])
  if #v == 0 then
    held = 0
    break
  end
  held = held - size(v[1])
  victims[#victims + 1] = v[1]
end
redis.call('SET', KEYS[2], fmt(held))
return victims
