-- ARGV: generation, ids. Drops those pieces (index entry and bytes together) if the resource is
-- still at that generation; a piece of a dropped generation is gone already.
local g = redis.call('HGET', KEYS[1], 'g')
if g ~= ARGV[1] then
  return 0
end
for i = 2, #ARGV do
  redis.call('ZREM', KEYS[2], ARGV[i])
  redis.call('DEL', pieceKey(g, ARGV[i]))
end
return 1
