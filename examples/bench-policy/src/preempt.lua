-- preempt: worst ping latency while a process spins forever on the same (single) worker.
local HOST = "bench:single"

local function spinner()
  while true do end
end

local function echo()
  local inbox = process.inbox()
  while true do
    local msg = inbox:receive()
    process.send(msg:from(), "pong")
  end
end

local function main()
  local time = require("time")
  local io = require("io")
  local pings = integer(io.args()[1] or 1000)
  local spin = process.spawn("bench:spinner", HOST)
  local peer = process.spawn("bench:echo", HOST)
  local inbox = process.inbox()
  local worst = 0
  for _ = 1, pings do
    local sent = time.now()
    process.send(peer, "ping")
    inbox:receive()
    local ms = time.now():sub(sent):nanoseconds() / 1e6
    if ms > worst then worst = ms end
  end
  io.print(string.format("preempt pings=%d max_latency_ms=%.1f", pings, worst))
  process.terminate(spin)
  process.terminate(peer)
end

return { main = main, spinner = spinner, echo = echo }
