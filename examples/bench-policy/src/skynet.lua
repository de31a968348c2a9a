-- skynet: every node spawns 10 children until a node stands for a single leaf; leaves reply their
-- ordinal, every parent replies the sum of its 10 replies.
local HOST = "bench:processes"

local function node(parent: string, num: integer, size: integer)
  if size == 1 then
    process.send(parent, "r", num)
    return
  end
  local me = process.pid()
  local sub = size // 10
  for i = 0, 9 do
    process.spawn("bench:skynet_node", HOST, me, num + i * sub, sub)
  end
  local inbox = process.inbox()
  local sum = 0
  for _ = 1, 10 do
    sum = sum + inbox:receive():payload():data()
  end
  process.send(parent, "r", sum)
end

local function main()
  local time = require("time")
  local io = require("io")
  local args = io.args()
  local n = integer(args[1] or 1000000)
  local started = time.now()
  process.spawn("bench:skynet_node", HOST, process.pid(), 0, n)
  local sum = process.inbox():receive():payload():data()
  local elapsed = time.now():sub(started):nanoseconds() / 1e6
  io.print(string.format("skynet N=%d sum=%d elapsed_ms=%.1f", n, sum, elapsed))
end

return { main = main, node = node }
