-- The `pipeline` command: pushes its arguments through source -> parse -> square -> sink and
-- prints the sum of the squares, or how a bad item brought the pipeline down.
local io = require("io")
local pipeline = require("pipeline")

local function main(): integer
  local items = io.args()
  io.print("items: " .. table.concat(items, " "))
  local outcome, err = pipeline.run(items, "10s")
  if not outcome then
    io.print("error: " .. tostring(err))
    return 1
  end
  local report = outcome.report
  if outcome.complete then
    io.print(string.format("sink: %d items, sum of squares %s", report.count, tostring(report.sum)))
  else
    io.print(string.format("sink: upstream %s failed after %d items (sum so far %s): %s",
      report.failed, report.count, tostring(report.sum), report.reason))
  end
  for _, e in ipairs(outcome.exits) do
    io.print(string.format("%-6s %s %s", e.stage, e.pid, e.error and ("failed: " .. e.error) or "ended normally"))
  end
  return outcome.complete and 0 or 1
end

return { main = main }
