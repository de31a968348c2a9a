-- The clicker: an `inc` to the counter every 20 ms, numbered so the counter can spot a gap, and
-- a monitor that would report the counter's EXIT (an upgrade must not produce one).
local time = require("time")

local function main()
  local counter
  while not counter do
    counter = process.registry.lookup("counter")
    if not counter then time.sleep("10ms") end
  end
  process.monitor(counter)
  local events = process.events()
  local tick = time.ticker("20ms")
  local n = 0
  while true do
    local r = channel.select({ tick:channel():case_receive(), events:case_receive() })
    if r.channel == events then
      if r.value.kind == process.event.EXIT then
        print("clicker: the counter EXITED: " .. tostring(r.value.result.error or "normally"))
        return
      elseif r.value.kind == process.event.CANCEL then
        return
      end
    else
      n = n + 1
      process.send(counter, "inc", n)
    end
  end
end

return { main = main }
