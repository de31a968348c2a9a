-- Spawns many ticking processes and reports spawn time, tick throughput and memory.
local function main(): integer
  local time = require("time")
  local io = require("io")
  local bench = require("bench")
  local args = io.args()
  local n = integer(args[1] or 10000)
  local ticks = integer(args[2] or 10)
  local period = integer(args[3] or 100)

  local me = process.pid()
  local rss0 = bench.rss()
  local t0 = time.now()
  for _ = 1, n do
    process.spawn("app:ticker", "app:processes", me, ticks, period)
  end
  local spawned_ms = time.now():sub(t0):nanoseconds() / 1e6

  local inbox = process.inbox()
  local expected = n * ticks
  local got, peak_rss = 0, bench.rss()
  local deadline = time.after((ticks * period + 30000) * time.MILLISECOND)
  while got < expected do
    local r = channel.select{ inbox:case_receive(), deadline:case_receive() }
    if r.channel == deadline then
      io.print(string.format("timed out with %d of %d ticks", got, expected))
      return 1
    end
    got = got + 1
    if got % n == 0 then
      local rss = bench.rss()
      if rss > peak_rss then peak_rss = rss end
    end
  end
  local total_ms = time.now():sub(t0):nanoseconds() / 1e6
  io.print(string.format("spawned %d processes in %.0f ms", n, spawned_ms))
  io.print(string.format("received %d ticks in %.0f ms (%.0f ticks/s)", got, total_ms, got / (total_ms / 1000)))
  io.print(string.format("memory: %.1f KB per ticking process (peak RSS delta / N)", (peak_rss - rss0) / n / 1024))
  return 0
end

return { main = main }
