-- Returns {old generation, dropped ids}.
local g = redis.call('HGET', KEYS[1], 'g')
local ids = dropAll(g)
redis.call('DEL', KEYS[1])
return {g or '', ids}
