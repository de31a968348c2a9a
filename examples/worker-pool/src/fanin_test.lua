-- Tests of the fan-in loop.
local fanin = require("fanin")

-- 10,000 messages from one producer: each arrives once, in the order sent, and the EXIT too.
local function receives_every_message_once()
  local report, err = fanin.collect(10000, "60s")
  if not report then
    error(err)
  end
  if report.received ~= 10000 or report.duplicates ~= 0 or report.out_of_order ~= 0 then
    error(string.format("received %d, %d duplicates, %d out of order", report.received, report.duplicates,
      report.out_of_order))
  end
  if report.produced ~= 10000 then
    error("producer returned " .. tostring(report.produced))
  end
end

return { receives_every_message_once = receives_every_message_once }
