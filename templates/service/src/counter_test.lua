-- Tests of the counter service and of its supervision.
local time = require("time")
local rpc = require("rpc")

local function count(): integer
  local n, err = rpc.call("counter", "count", {}, "5s")
  if err then
    error(err)
  end
  return n
end

-- Every hit adds one, and the answer to a hit is the new count.
local function counts_every_hit()
  local before = count()
  for i = 1, 5 do
    local n, err = rpc.call("counter", "hit", {}, "5s")
    if err then
      error(err)
    end
    if n ~= before + i then
      error(string.format("hit %d answered %s, expected %d", i, tostring(n), before + i))
    end
  end
  local after = count()
  if after ~= before + 5 then
    error(string.format("count is %d after 5 hits from %d", after, before))
  end
  return true
end

-- A crash does not lose the count: the runtime restarts the counter (new PID, same name) and it
-- reloads the count from the store.
local function keeps_its_count_across_a_restart()
  local _, err = rpc.call("counter", "hit", {}, "5s")
  if err then
    error(err)
  end
  local before = count()
  local old = process.registry.lookup("counter")
  process.send(old, "hit", "not a request")

  local deadline = time.after("5s")
  local new = process.registry.lookup("counter")
  while new == nil or new == old do
    local r = channel.select{ deadline:case_receive(), time.after("10ms"):case_receive() }
    if r.channel == deadline then
      error("the counter was not restarted within 5s")
    end
    new = process.registry.lookup("counter")
  end
  local after = count()
  if after ~= before then
    error(string.format("the restarted counter counts %d, expected %d", after, before))
  end
  return true
end

return { counts_every_hit = counts_every_hit, keeps_its_count_across_a_restart = keeps_its_count_across_a_restart }
