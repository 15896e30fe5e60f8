-- The dedupe index, shared by lookup.lua and commit.lua (store.py prepends this file).
--
-- One table per time generation maps 8-byte field digests (identities and LSH bands) to
-- story numbers. Each generation's table is linear-hashed over small hashes, so buckets
-- stay listpack-encoded (about 15 bytes an entry) however many stories it holds, and a
-- read is one HGET. Generations expire whole: Redis 7.0 has no per-field TTL.
--
-- Key names are built here from ARGV[1], the deployment's key base; they carry the
-- stream's hash tag, so on Redis Cluster they live in the slot of KEYS[1], the stream.
--
-- ARGV: 1 base, 2 live generations newest first ("g,g,..."), 3 identity fields n,
-- 4 band fields m, 5 most candidates returned, 6.. n identity then m band digests,
-- then the script's own arguments from REST on.
--
-- Redis CPU (python -m bench.redis_cpu): these scripts run for every entry, and most of
-- their cost is not the commands but Lua (every table, string and closure is allocated
-- and later collected) and each redis.call. So a call builds few of them: a generation's
-- meta is read once, with its entry count for commit.lua, and keeps its 2^L and key
-- prefix; the hot loops are inline; commit.lua's helpers live in commit.lua.
local BASE = ARGV[1]
local GENS = {}
for g in string.gmatch(ARGV[2], '[^,]+') do GENS[#GENS + 1] = g end
local N_IDENT = tonumber(ARGV[3])
local N_BAND = tonumber(ARGV[4])
local MAX_CANDIDATES = tonumber(ARGV[5])
local FIELDS = 6
local REST = FIELDS + N_IDENT + N_BAND
-- Split a bucket when the table averages this many entries a bucket: well under the
-- 128 entries at which Redis converts a listpack hash to a (five times larger) hashtable.
local LOAD = 48

local call = redis.call
local byte, format = string.byte, string.format

-- Generation -> its table as this call knows it, false when it has none: L (level), p
-- (next bucket to split), size (2^L), n (entries as stored when read) and prefix (of its
-- bucket keys; a bucket's key is prefix .. format('%d', number)). The script is atomic:
-- nothing but this call changes any of it meanwhile.
local metas = {}

local function gen_meta(g)
  local m = metas[g]
  if m == nil then
    local v = call('HMGET', BASE .. ':gm:' .. g, 'L', 'p', 'n')
    if v[1] then
      local level = tonumber(v[1])
      m = {L = level, p = tonumber(v[2]), size = 2 ^ level, n = tonumber(v[3]) or 0,
           prefix = BASE .. ':ix:' .. g .. ':'}
    else
      m = false
    end
    metas[g] = m
  end
  return m
end

local function h32(field)
  local a, b, c, d = byte(field, 1, 4)
  return ((a * 256 + b) * 256 + c) * 256 + d
end

-- Everything the store holds for the sighting: the story number each identity field
-- names (newest generation first), the near-duplicate candidates by band votes, and a
-- digest of every value read, story versions included, so that commit can tell whether
-- the world changed since lookup; and the records read (story number -> record).
-- The meta of generation ``remember`` (commit.lua's) gets values: field -> the value read
-- there, false when absent.
local function observe(remember)
  local n_gens = #GENS
  if N_IDENT + N_BAND > 0 then
    for k = 1, n_gens do gen_meta(GENS[k]) end
  end
  local keep = remember and metas[remember]
  if keep then keep.values = {} end
  local seen, ident = {}, {}
  local votes, order  -- story number -> band votes; story numbers as first voted
  for i = 1, N_IDENT + N_BAND do
    local field = ARGV[FIELDS + i - 1]
    local h = h32(field)
    local found, hit = false, nil
    for k = 1, n_gens do
      local m = metas[GENS[k]]
      local v = false
      if m then
        local size = m.size
        local b = h % size
        if b < m.p then b = h % (size * 2) end
        v = call('HGET', m.prefix .. format('%d', b), field)
        if m == keep then keep.values[field] = v end
      end
      seen[#seen + 1] = v or '-'
      if v then
        if i <= N_IDENT then
          if not found then found = v end
        else
          hit = hit or {}
          for sid in string.gmatch(v, '%d+') do
            if not hit[sid] then
              hit[sid] = true
              if not votes then votes, order = {}, {} end
              if not votes[sid] then
                votes[sid] = 0
                order[#order + 1] = sid
              end
              votes[sid] = votes[sid] + 1
            end
          end
        end
      end
    end
    if i <= N_IDENT then ident[i] = found end
  end
  local cands = {}
  if order then
    if #order > 1 then
      table.sort(order, function(a, b)
        if votes[a] ~= votes[b] then return votes[a] > votes[b] end
        return tonumber(a) > tonumber(b)
      end)
    end
    for k = 1, math.min(#order, MAX_CANDIDATES) do cands[k] = order[k] end
  end
  local sids, listed, records = {}, {}, {}
  for pass = 1, 2 do
    local list, n = ident, N_IDENT
    if pass == 2 then list, n = cands, #cands end
    for i = 1, n do
      local sid = list[i]
      if sid and not listed[sid] then
        listed[sid] = true
        sids[#sids + 1] = sid
        local record = call('GET', BASE .. ':st:' .. sid)
        records[sid] = record
        seen[#seen + 1] = sid .. '@' .. (record and string.match(record, '^(%d+)\031') or '-')
      end
    end
  end
  return ident, cands, sids, redis.sha1hex(table.concat(seen, '|')), records
end
