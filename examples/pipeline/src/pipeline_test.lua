-- Tests of the pipeline: the happy path, and a failure cascading along the links.
local pipeline = require("pipeline")

local function run(items)
  local outcome, err = pipeline.run(items, "10s")
  if not outcome then
    error(err)
  end
  return outcome
end

-- Every item reaches the sink squared; after "stop" every stage ends normally.
local function sums_the_squares()
  local outcome = run({"1", "2", "3", "4.5"})
  if not outcome.complete or outcome.report.count ~= 4 or outcome.report.sum ~= 1 + 4 + 9 + 20.25 then
    error(string.format("sink reported count=%s sum=%s", tostring(outcome.report.count), tostring(outcome.report.sum)))
  end
  for _, e in ipairs(outcome.exits) do
    if e.error then
      error(e.stage .. " failed: " .. e.error)
    end
  end
  return true
end

-- A bad item crashes parse; its links end source and square (with errors naming parse), and
-- square's link reaches the sink as an event: it reports what it had and ends normally.
local function failure_cascades_along_the_links()
  local outcome = run({"1", "2", "x", "4"})
  local by_stage = {}
  for _, e in ipairs(outcome.exits) do
    by_stage[e.stage] = e
  end
  local parse = by_stage.parse
  if not parse.error or not string.find(parse.error, 'not a number: "x"', 1, true) then
    error("parse should fail on x, got: " .. tostring(parse.error))
  end
  for _, name in ipairs({"source", "square"}) do
    local e = by_stage[name]
    if not e.error or not string.find(e.error, parse.pid, 1, true) then
      error(name .. " should fail naming parse " .. parse.pid .. ", got: " .. tostring(e.error))
    end
  end
  if by_stage.sink.error then
    error("the sink traps links and should end normally, got: " .. by_stage.sink.error)
  end
  local report = outcome.report
  if outcome.complete or report.failed ~= by_stage.square.pid then
    error("the sink should report square's failure, got: " .. tostring(report.failed))
  end
  -- Items after the bad one never arrive; those before it may or may not, as the failure races them.
  if report.count > 2 or report.sum > 5 then
    error(string.format("the sink got count=%d sum=%s past the failure", report.count, tostring(report.sum)))
  end
  return true
end

return { sums_the_squares = sums_the_squares, failure_cascades_along_the_links = failure_cascades_along_the_links }
