-- One ticking process: reports each of its ticks to `collector`, then ends.
local time = require("time")

local function main(collector: string, ticks: integer, period_ms: integer)
  local t = time.ticker(period_ms * time.MILLISECOND)
  for i = 1, ticks do
    t:channel():receive()
    process.send(collector, "tick", i)
  end
  t:stop()
end

return { main = main }
