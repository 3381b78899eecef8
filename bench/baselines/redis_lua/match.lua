-- The Redis + Lua baseline: the check-and-decrement a platform runs for each
-- donation, atomically inside Redis (one EVALSHA per donation). It handles the
-- shape of the 99 Giving Day daily platform pool: one pool per day with a
-- match ratio, a per-donor daily cap, a per-project cap and the pool budget.
-- Money is integer minor units (cents); times are microseconds since the epoch.
--
-- KEYS[1]  pool:<id>                   the pool's rules, a hash written once at setup:
--                                      budget, donor_cap, project_cap, ratio_micros,
--                                      start_us, end_us, min_cents, and ch:<channel> = 1
--                                      for each eligible channel
-- KEYS[2]  granted:<id>                what the pool has granted so far
-- KEYS[3]  donor:<id>:<day>:<donor>    what the pool granted this donor that day
-- KEYS[4]  project:<id>:<project>      what the pool granted this project (the day is
--                                      part of the key when the project cap is per day)
-- ARGV[1]  the donation in cents
-- ARGV[2]  its time, microseconds since the epoch (UTC)
-- ARGV[3]  its channel
--
-- Returns the grant in cents (0 when the donation is not eligible or a limit is reached).

local rules = redis.call('HMGET', KEYS[1], 'budget', 'donor_cap', 'project_cap', 'ratio_micros',
                         'start_us', 'end_us', 'min_cents', 'ch:' .. ARGV[3])
if not rules[1] then
  return 0  -- no such pool
end
local amount = tonumber(ARGV[1])
local t = tonumber(ARGV[2])
if t < tonumber(rules[5]) or t >= tonumber(rules[6]) or amount < tonumber(rules[7]) or not rules[8] then
  return 0  -- outside the window, below the minimum or a channel the pool does not match
end

-- The base: floor(amount * ratio). Both factors are integers and their product
-- stays far below 2^53 for any donation, so the double arithmetic is exact.
local grant = math.floor(amount * tonumber(rules[4]) / 1000000)

local used = redis.call('MGET', KEYS[2], KEYS[3], KEYS[4])
local pool_left = tonumber(rules[1]) - tonumber(used[1] or 0)
local donor_left = tonumber(rules[2]) - tonumber(used[2] or 0)
local project_left = tonumber(rules[3]) - tonumber(used[3] or 0)
if donor_left < grant then grant = donor_left end
if project_left < grant then grant = project_left end
if pool_left < grant then grant = pool_left end
if grant <= 0 then
  return 0
end

local g = string.format('%d', grant)
redis.call('INCRBY', KEYS[2], g)
redis.call('INCRBY', KEYS[3], g)
redis.call('INCRBY', KEYS[4], g)
return grant
