-- ARGV: members whose pieces are gone (dropped with a version, or evicted by Redis); uncounts them.
local held = tonumber(redis.call('GET', KEYS[2]) or '0')
for i = 1, #ARGV do
  if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
    held = held - size(ARGV[i])
  end
end
if held < 0 then
  held = 0
end
redis.call('SET', KEYS[2], fmt(held))
return {}
