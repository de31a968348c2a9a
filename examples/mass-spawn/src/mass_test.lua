-- Every tick of every ticking process reaches the collector, within a deadline.
local function all_ticks_arrive()
  local time = require("time")
  local n, ticks = 200, 3
  for _ = 1, n do
    process.spawn("app:ticker", "app:processes", process.pid(), ticks, 10)
  end
  local inbox = process.inbox()
  local per_tick = {0, 0, 0}
  local deadline = time.after("10s")
  for _ = 1, n * ticks do
    local r = channel.select{ inbox:case_receive(), deadline:case_receive() }
    if r.channel == deadline then
      error(string.format("ticks missing after 10s: %d, %d, %d of %d", per_tick[1], per_tick[2], per_tick[3], n))
    end
    local i = r.value:payload():data()
    per_tick[i] = per_tick[i] + 1
  end
  for i = 1, ticks do
    if per_tick[i] ~= n then
      error(string.format("tick %d arrived %d times, expected %d", i, per_tick[i], n))
    end
  end
  return true
end

return { all_ticks_arrive = all_ticks_arrive }
