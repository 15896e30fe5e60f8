-- Commit: verify the world is as lookup saw it, then record the decision and XADD its
-- events, all or nothing. Returns 0 (changed: look up and decide again) or 1.
-- index.lua comes first. KEYS: 1 stream, 2 story-number counter.
-- ARGV from REST: digest, story number ("" for a new story), generation seconds,
-- retention seconds, current generation, stream maxlen, the story record ("" to keep
-- it), then counted lists: identity claims, band inserts, event JSONs.
local _, _, _, digest = observe()
if digest ~= ARGV[REST] then return 0 end

local sid = ARGV[REST + 1]
local GEN_SECONDS = tonumber(ARGV[REST + 2])
local RETENTION = tonumber(ARGV[REST + 3])
local GEN = ARGV[REST + 4]
local MAXLEN = ARGV[REST + 5]
local RECORD = ARGV[REST + 6]
local pos = REST + 7
local function counted()
  local n = tonumber(ARGV[pos])
  local list = {}
  for i = 1, n do list[i] = ARGV[pos + i] end
  pos = pos + n + 1
  return list
end
local claims, bands, events = counted(), counted(), counted()
-- A band keeps the few most recent stories: enough for real collisions, bounded for
-- boilerplate shared by thousands of pages.
local BAND_KEEP = 4
local expire_at = (tonumber(GEN) + 1) * GEN_SECONDS + RETENTION

local function ensure_gen(g)
  local m = gen_meta(g)
  if not m then
    redis.call('HSET', meta_key(g), 'L', 0, 'p', 0, 'n', 0)
    redis.call('EXPIREAT', meta_key(g), expire_at)
    m = {0, 0}
    metas[g] = m
  end
  return m
end

local function split(g, m)
  local size = 2 ^ m[1]
  local old, new = bucket_key(g, m[2]), bucket_key(g, m[2] + size)
  local all = redis.call('HGETALL', old)
  for i = 1, #all, 2 do
    if h32(all[i]) % (size * 2) ~= m[2] then
      redis.call('HSET', new, all[i], all[i + 1])
      redis.call('HDEL', old, all[i])
    end
  end
  redis.call('EXPIREAT', new, expire_at)
  m[2] = m[2] + 1
  if m[2] == size then
    m[1], m[2] = m[1] + 1, 0
  end
  redis.call('HSET', meta_key(g), 'L', m[1], 'p', m[2])
end

local function put(field, value, keep)
  local m = ensure_gen(GEN)
  local key = bucket_of(GEN, m, field)
  if keep then
    local old = redis.call('HGET', key, field)
    if old then
      local list = {value}
      for s in string.gmatch(old, '%d+') do
        if s ~= value and #list < keep then list[#list + 1] = s end
      end
      value = table.concat(list, ' ')
    end
  end
  local added = redis.call('HSET', key, field, value)
  redis.call('EXPIREAT', key, expire_at)
  if added == 1 then
    local n = redis.call('HINCRBY', meta_key(GEN), 'n', 1)
    redis.call('EXPIREAT', meta_key(GEN), expire_at)
    if n > LOAD * (2 ^ m[1] + m[2]) then split(GEN, m) end
  end
end

if sid == '' then sid = tostring(redis.call('INCR', KEYS[2])) end
local skey = story_key(sid)
if RECORD ~= '' then redis.call('SET', skey, RECORD) end
redis.call('EXPIREAT', skey, expire_at)
for _, field in ipairs(claims) do put(field, sid, nil) end
for _, field in ipairs(bands) do put(field, sid, BAND_KEEP) end
for _, data in ipairs(events) do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', MAXLEN, '*', 'data', data)
end
return 1
