-- ring: N processes in a ring pass one token HOPS times.
local HOST = "bench:processes"

local function node(root: string)
  local inbox = process.inbox()
  local next_pid = inbox:receive():payload():data()
  while true do
    local hops = inbox:receive():payload():data()
    if hops == 0 then
      process.send(root, "done")
    else
      process.send(next_pid, "t", hops - 1)
    end
    if hops <= 0 then
      return
    end
  end
end

local function main()
  local time = require("time")
  local io = require("io")
  local args = io.args()
  local n = integer(args[1] or 1000)
  local hops = integer(args[2] or 1000000)
  local me = process.pid()
  local pids = {}
  for i = 1, n do
    pids[i] = process.spawn("bench:ring_node", HOST, me)
  end
  for i = 1, n do
    process.send(pids[i], "next", pids[i % n + 1])
  end
  local started = time.now()
  process.send(pids[1], "t", hops)
  process.inbox():receive()
  local elapsed = time.now():sub(started):nanoseconds() / 1e6
  io.print(string.format("ring N=%d hops=%d elapsed_ms=%.1f hops_per_s=%.0f", n, hops, elapsed, hops / (elapsed / 1000)))
  for i = 1, n do
    process.terminate(pids[i])
  end
end

return { main = main, node = node }
