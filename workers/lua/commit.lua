-- Commit: verify the world is as lookup saw it, then record the decision and XADD its
-- events, all or nothing. Returns 0 (changed: look up and decide again) or 1.
-- index.lua comes first. KEYS: 1 stream, 2 story-number counter.
-- ARGV from REST: digest, story number ("" for a new story), generation seconds,
-- retention seconds, current generation, stream maxlen, the story record ("" to keep
-- it), then counted lists: identity claims, band inserts, event JSONs.
local GEN = ARGV[REST + 4]
local _, _, _, digest = observe(GEN)
if digest ~= ARGV[REST] then return 0 end

local sid = ARGV[REST + 1]
local GEN_SECONDS = tonumber(ARGV[REST + 2])
local RETENTION = tonumber(ARGV[REST + 3])
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
-- Every key this call writes expires at the end of GEN's retention. The script is atomic,
-- so each written key gets its EXPIREAT once, at the end, rather than after every write:
-- the same expiry (a key written then emptied by a split is gone either way), fewer calls.
-- As a string, formatted once as redis.call formats a number argument ('%.17g').
local expire_at = format('%.17g', (tonumber(GEN) + 1) * GEN_SECONDS + RETENTION)
local written, expiring = {}, {}
local function expire_later(key)
  if not written[key] then
    written[key] = true
    expiring[#expiring + 1] = key
  end
end
-- Fields a split moves go in one HSET and one HDEL per this many.
local MOVE_CHUNK = 64

local function meta_key(g) return BASE .. ':gm:' .. g end

-- GEN's meta (index.lua's gen_meta) with, besides: values, field -> its value as read by
-- observe or last written here (nil: not known, read it), and added, the entries this
-- call inserted. n counts them too, for the split decision; the stored 'n' gets them in
-- one HINCRBY at the end.
local function ensure_gen(g)
  local m = gen_meta(g)
  if not m then
    call('HSET', meta_key(g), 'L', '0', 'p', '0', 'n', '0')
    expire_later(meta_key(g))
    m = {L = 0, p = 0, size = 1, n = 0, prefix = BASE .. ':ix:' .. g .. ':', values = {}}
    metas[g] = m
  end
  if not m.values then m.values = {} end
  m.added = m.added or 0
  return m
end

local function bucket_key(m, b) return m.prefix .. format('%d', b) end

local function split(g, m)
  local size = m.size
  local old, new = bucket_key(m, m.p), bucket_key(m, m.p + size)
  local all = call('HGETALL', old)
  local moved, names = {}, {}
  for i = 1, #all, 2 do
    if h32(all[i]) % (size * 2) ~= m.p then
      moved[#moved + 1] = all[i]
      moved[#moved + 1] = all[i + 1]
      names[#names + 1] = all[i]
    end
  end
  for i = 1, #names, MOVE_CHUNK do
    local last = math.min(i + MOVE_CHUNK - 1, #names)
    call('HSET', new, unpack(moved, 2 * i - 1, 2 * last))
    call('HDEL', old, unpack(names, i, last))
  end
  expire_later(new)
  m.p = m.p + 1
  if m.p == size then
    m.L, m.p, m.size = m.L + 1, 0, size * 2
  end
  call('HSET', meta_key(g), 'L', m.L, 'p', m.p)
end

local function put(field, value, keep)
  local m = ensure_gen(GEN)
  local h, size = h32(field), m.size
  local b = h % size
  if b < m.p then b = h % (size * 2) end
  local key = bucket_key(m, b)
  if keep then
    local old = m.values[field]
    if old == nil then old = call('HGET', key, field) end
    if old then
      local list = {value}
      for s in string.gmatch(old, '%d+') do
        if s ~= value and #list < keep then list[#list + 1] = s end
      end
      value = table.concat(list, ' ')
    end
  end
  local added = call('HSET', key, field, value)
  m.values[field] = value
  expire_later(key)
  if added == 1 then
    m.n, m.added = m.n + 1, m.added + 1
    if m.n > LOAD * (m.size + m.p) then split(GEN, m) end
  end
end

if sid == '' then sid = tostring(call('INCR', KEYS[2])) end
local skey = BASE .. ':st:' .. sid
if RECORD ~= '' then call('SET', skey, RECORD) end
call('EXPIREAT', skey, expire_at)
for _, field in ipairs(claims) do put(field, sid, nil) end
for _, field in ipairs(bands) do put(field, sid, BAND_KEEP) end
local m = metas[GEN]
if m and m.added and m.added > 0 then
  call('HINCRBY', meta_key(GEN), 'n', m.added)
  expire_later(meta_key(GEN))
end
for _, key in ipairs(expiring) do call('EXPIREAT', key, expire_at) end
for _, data in ipairs(events) do
  call('XADD', KEYS[1], 'MAXLEN', '~', MAXLEN, '*', 'data', data)
end
return 1
