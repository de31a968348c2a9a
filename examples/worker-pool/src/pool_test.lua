-- Tests of the coroutine pool.
local time = require("time")
local pool = require("pool")

local function must_run(inputs, workers, work, limit)
  local report, err = pool.run(inputs, workers, work, limit)
  if not report then
    error(err)
  end
  return report
end

-- Every input gets exactly one result, in its own slot, and the workers' counts add up.
local function runs_every_job_once()
  local inputs = {}
  for i = 1, 200 do
    inputs[i] = i
  end
  local calls = 0
  local report = must_run(inputs, 7, function(n: integer): integer
    calls = calls + 1
    return n * n
  end, "10s")
  if calls ~= 200 then
    error("work ran " .. calls .. " times for 200 jobs")
  end
  local total = 0
  for w = 1, 7 do
    total = total + (report.handled[w] or 0)
  end
  if total ~= 200 then
    error("workers report " .. total .. " jobs for 200")
  end
  for i = 1, 200 do
    local r = report.results[i]
    if not r or r.input ~= i or r.value ~= i * i then
      error("wrong or missing result for job " .. i)
    end
  end
  return true
end

-- A job that blocks suspends only its worker: 8 jobs of 100 ms on 8 workers take about 100 ms, not
-- the 800 ms of one worker.
local function workers_wait_concurrently()
  local inputs = {1, 2, 3, 4, 5, 6, 7, 8}
  local report = must_run(inputs, 8, function(n: integer): integer
    time.sleep("100ms")
    return n
  end, "10s")
  if report.elapsed_ms < 100 then
    error(string.format("took %.0f ms: the jobs did not wait", report.elapsed_ms))
  end
  if report.elapsed_ms >= 600 then
    error(string.format("took %.0f ms: the workers waited one after another", report.elapsed_ms))
  end
  return true
end

-- A job that raises becomes an error result; the other jobs and the process carry on.
local function reports_a_failing_job_and_carries_on()
  local report = must_run({5, -1, 8}, 2, function(n: integer): integer
    if n < 0 then
      error("n must be positive, got " .. n)
    end
    return n + 1
  end, "10s")
  local bad = report.results[2]
  if not bad.error or not string.find(bad.error, "n must be positive, got -1", 1, true) then
    error("the failing job was not reported: " .. tostring(bad.error))
  end
  if report.results[1].value ~= 6 or report.results[3].value ~= 9 then
    error("the other jobs did not complete")
  end
  return true
end

return {
  runs_every_job_once = runs_every_job_once,
  workers_wait_concurrently = workers_wait_concurrently,
  reports_a_failing_job_and_carries_on = reports_a_failing_job_and_carries_on,
}
