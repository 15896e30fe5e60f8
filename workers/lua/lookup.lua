-- Lookup: {digest, identity story numbers, candidate story numbers, {sid, record}...}.
-- Read only. index.lua comes first.
local ident, cands, sids, digest, records = observe()
local stories = {}
for _, sid in ipairs(sids) do
  local record = records[sid]
  if record then stories[#stories + 1] = {sid, record} end
end
return {digest, ident, cands, stories}
