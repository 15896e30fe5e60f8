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

local metas = {}

local function meta_key(g) return BASE .. ':gm:' .. g end

local function gen_meta(g)
  local m = metas[g]
  if m == nil then
    local v = redis.call('HMGET', meta_key(g), 'L', 'p')
    if v[1] then m = {tonumber(v[1]), tonumber(v[2])} else m = false end
    metas[g] = m
  end
  return m
end

local function h32(field)
  local a, b, c, d = string.byte(field, 1, 4)
  return ((a * 256 + b) * 256 + c) * 256 + d
end

local function bucket_key(g, b) return BASE .. ':ix:' .. g .. ':' .. string.format('%d', b) end

local function bucket_of(g, m, field)
  local h = h32(field)
  local size = 2 ^ m[1]
  local b = h % size
  if b < m[2] then b = h % (size * 2) end
  return bucket_key(g, b)
end

local function read(g, field)
  local m = gen_meta(g)
  if not m then return false end
  return redis.call('HGET', bucket_of(g, m, field), field)
end

local function story_key(sid) return BASE .. ':st:' .. sid end

-- Everything the store holds for the sighting: the story number each identity field
-- names (newest generation first), the near-duplicate candidates by band votes, and a
-- digest of every value read, story versions included, so that commit can tell whether
-- the world changed since lookup.
local function observe()
  local seen, ident = {}, {}
  for i = 1, N_IDENT do
    local field = ARGV[FIELDS + i - 1]
    ident[i] = false
    for _, g in ipairs(GENS) do
      local v = read(g, field)
      seen[#seen + 1] = v or '-'
      if v and not ident[i] then ident[i] = v end
    end
  end
  local votes, order = {}, {}
  for j = 1, N_BAND do
    local field = ARGV[FIELDS + N_IDENT + j - 1]
    local hit = {}
    for _, g in ipairs(GENS) do
      local v = read(g, field)
      seen[#seen + 1] = v or '-'
      if v then
        for sid in string.gmatch(v, '%d+') do
          if not hit[sid] then
            hit[sid] = true
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
  table.sort(order, function(a, b)
    if votes[a] ~= votes[b] then return votes[a] > votes[b] end
    return tonumber(a) > tonumber(b)
  end)
  local cands = {}
  for k = 1, math.min(#order, MAX_CANDIDATES) do cands[k] = order[k] end
  local sids, listed = {}, {}
  for _, list in ipairs({ident, cands}) do
    for _, sid in ipairs(list) do
      if sid and not listed[sid] then
        listed[sid] = true
        sids[#sids + 1] = sid
        local record = redis.call('GET', story_key(sid))
        seen[#seen + 1] = sid .. '@' .. (record and string.match(record, '^(%d+)\031') or '-')
      end
    end
  end
  return ident, cands, sids, redis.sha1hex(table.concat(seen, '|'))
end
