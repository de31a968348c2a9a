-- The `fanin` command: COUNT messages from a producer process, collected by one select loop.
local io = require("io")
local fanin = require("fanin")

local function main(): integer
  local count = integer(io.args()[1] or 10000)
  local report, err = fanin.collect(count, "60s")
  if not report then
    io.print("error: " .. tostring(err))
    return 1
  end
  io.print(string.format("received %d of %d messages (%d duplicates, %d out of order), producer returned %s",
    report.received, count, report.duplicates, report.out_of_order, tostring(report.produced)))
  return 0
end

return { main = main }
