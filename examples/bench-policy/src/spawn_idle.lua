-- spawn_idle: spawn N processes that each block on their inbox, measure how fast they were all
-- up (spawned and initialised) and the resident memory each one adds, then stop them.
local HOST = "bench:processes"

local function idler(root: string)
  process.send(root, "up")
  process.inbox():receive()
end

local function main()
  local time = require("time")
  local io = require("io")
  local bench = require("bench")
  local args = io.args()
  local n = integer(args[1] or 100000)
  local me = process.pid()
  local inbox = process.inbox()
  local rss_before = bench.rss()
  local started = time.now()
  local pids = {}
  for i = 1, n do
    pids[i] = process.spawn("bench:idler", HOST, me)
  end
  for _ = 1, n do
    inbox:receive()
  end
  local elapsed = time.now():sub(started):nanoseconds() / 1e9
  local rss_after = bench.rss()
  io.print(string.format("spawn_idle N=%d spawn_per_s=%.0f rss_bytes_per_proc=%.0f",
    n, n / elapsed, (rss_after - rss_before) / n))
  for i = 1, n do
    process.send(pids[i], "stop")
  end
end

return { main = main, idler = idler }
