-- pingpong: PAIRS pairs exchange ROUNDS round trips each, all at once.
local HOST = "bench:processes"

local function ponger()
  local inbox = process.inbox()
  while true do
    local msg = inbox:receive()
    if msg:topic() == "stop" then
      return
    end
    process.send(msg:from(), "pong", msg:payload():data())
  end
end

local function pinger(root: string, partner: string, rounds: integer)
  local inbox = process.inbox()
  inbox:receive() -- "go"
  for i = 1, rounds do
    process.send(partner, "ping", i)
    inbox:receive()
  end
  process.send(partner, "stop")
  process.send(root, "done")
end

local function main()
  local time = require("time")
  local io = require("io")
  local args = io.args()
  local pairs_n = integer(args[1] or 1000)
  local rounds = integer(args[2] or 1000)
  local me = process.pid()
  local pingers = {}
  for i = 1, pairs_n do
    local partner = process.spawn("bench:ponger", HOST)
    pingers[i] = process.spawn("bench:pinger", HOST, me, partner, rounds)
  end
  local started = time.now()
  for i = 1, pairs_n do
    process.send(pingers[i], "go")
  end
  local inbox = process.inbox()
  for _ = 1, pairs_n do
    inbox:receive()
  end
  local elapsed = time.now():sub(started):nanoseconds() / 1e6
  local msgs = pairs_n * rounds * 2
  io.print(string.format("pingpong pairs=%d msgs=%d elapsed_ms=%.1f msgs_per_s=%.0f",
    pairs_n, msgs, elapsed, msgs / (elapsed / 1000)))
end

return { main = main, pinger = pinger, ponger = ponger }
