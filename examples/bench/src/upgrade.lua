-- upgrade: N live processes receive a steady stream of messages; halfway through the stream
-- every one of them is told to upgrade to version 2, which must go on counting. Reports the time
-- from the first upgrade request to the last process running version 2, and the messages lost
-- (sent minus counted, summed over all processes; must be 0).
local HOST = "bench:processes"

local function worker_v1(driver: string)
  local inbox = process.inbox()
  local count = 0
  while true do
    local msg = inbox:receive()
    if msg:topic() == "m" then
      count = count + 1
    elseif msg:topic() == "upgrade" then
      process.upgrade("bench:upgrade_v2", count, driver)
    end
  end
end

local function worker_v2(count: integer, driver: string)
  process.send(driver, "up")
  local inbox = process.inbox()
  while true do
    local msg = inbox:receive()
    if msg:topic() == "m" then
      count = count + 1
    elseif msg:topic() == "done" then
      process.send(driver, "count", count)
      return
    end
  end
end

local function main()
  local time = require("time")
  local io = require("io")
  local args = io.args()
  local n = integer(args[1] or 10000)
  local msgs = integer(args[2] or 100)
  local me = process.pid()
  local workers = {}
  for i = 1, n do
    workers[i] = process.spawn("bench:upgrade_v1", HOST, me)
  end
  local half = msgs // 2
  for _ = 1, half do
    for i = 1, n do process.send(workers[i], "m") end
  end
  local started = time.now()
  for i = 1, n do process.send(workers[i], "upgrade") end
  for _ = half + 1, msgs do
    for i = 1, n do process.send(workers[i], "m") end
  end
  local inbox = process.inbox()
  for _ = 1, n do
    local msg = inbox:receive()
    assert(msg:topic() == "up", "expected an upgrade report, got " .. msg:topic())
  end
  local elapsed = time.now():sub(started):nanoseconds() / 1e6
  for i = 1, n do process.send(workers[i], "done") end
  local counted = 0
  for _ = 1, n do
    counted = counted + inbox:receive():payload():data()
  end
  io.print(string.format("upgrade n=%d elapsed_ms=%.1f lost=%d", n, elapsed, n * msgs - counted))
end

return { main = main, worker_v1 = worker_v1, worker_v2 = worker_v2 }
