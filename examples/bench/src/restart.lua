-- restart: a supervisor restarts a child that crashes as soon as it starts, N times, with no
-- delay: like a `process.service` (or an OTP supervisor) it traps its links, and on every
-- LINK_DOWN spawns the child again.
local HOST = "bench:processes"

local function child()
  error("crash")
end

local function supervisor(root: string, n: integer)
  process.set_options({trap_links = true})
  local events = process.events()
  local restarts = 0
  local function start()
    local pid, err = process.spawn_linked("bench:crasher", HOST)
    if not pid then
      error(err)
    end
  end
  start()
  -- N restarts: the child crashes N + 1 times, and its last crash is seen too.
  while true do
    local ev = events:receive()
    if ev.kind == process.event.LINK_DOWN then
      if restarts == n then
        break
      end
      restarts = restarts + 1
      start()
    end
  end
  process.send(root, "done", restarts)
end

local function main()
  local time = require("time")
  local io = require("io")
  local n = integer(io.args()[1] or 10000)
  local started = time.now()
  process.spawn("bench:restart_supervisor", HOST, process.pid(), n)
  local restarts = process.inbox():receive():payload():data()
  local elapsed = time.now():sub(started):nanoseconds() / 1e6
  io.print(string.format("restart n=%d elapsed_ms=%.1f restarts_per_s=%.0f", restarts, elapsed, restarts / (elapsed / 1000)))
end

return { main = main, supervisor = supervisor, child = child }
