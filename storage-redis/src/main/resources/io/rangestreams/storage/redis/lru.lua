-- The shared accounting, in its own slot: KEYS[1] the LRU (a sorted set of members
-- "<resource>|<generation>|<start>:<length>" scored by a logical clock), KEYS[2] the bytes counted,
-- KEYS[3] the clock. held always equals the sum of the members' lengths.
local function size(m)
  return tonumber(string.match(m, ':(%d+)$'))
end

