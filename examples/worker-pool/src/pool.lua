-- pool: runs a function over many inputs on a fixed number of coroutines inside the calling process.
--
-- A producer coroutine feeds the inputs into the `jobs` channel and closes it; each worker
-- coroutine receives jobs until the channel is closed and drained, and sends one result per job to
-- `results`; the caller collects them. A blocking call inside a job (`time.sleep`, a `receive`)
-- suspends only that worker, so the other workers keep going.
local time = require("time")

export type Result = {id: integer, input: any, value: any?, error: string?, worker: integer}
export type Report = {results: {Result}, handled: {integer}, elapsed_ms: number}

local pool = {}

-- Applies `work` to every element of `inputs` on `workers` coroutines; gives up after `limit`.
-- Results are indexed like `inputs`; `handled[w]` counts the jobs worker `w` did. A job that
-- raises becomes a result with `error` set: the error stays inside the pool (an error nobody
-- catches in a coroutine would end the whole process).
function pool.run(inputs: {any}, workers: integer, work: (any) -> any, limit: string): (Report?, error?)
  local started = time.now()
  local jobs = channel.new(workers)
  local results = channel.new(workers)
  local finished = channel.new(workers)

  coroutine.spawn(function()
    for id, input in ipairs(inputs) do
      jobs:send({id = id, input = input})
    end
    jobs:close()
  end)

  for w = 1, workers do
    coroutine.spawn(function()
      local count = 0
      while true do
        local job, ok = jobs:receive()
        if not ok then
          break
        end
        local done, value = pcall(work, job.input)
        if done then
          results:send({id = job.id, input = job.input, value = value, worker = w})
        else
          results:send({id = job.id, input = job.input, error = tostring(value), worker = w})
        end
        count = count + 1
      end
      finished:send({worker = w, count = count})
    end)
  end

  local deadline = time.after(limit)
  local report: Report = {results = {}, handled = {}, elapsed_ms = 0}
  local pending = #inputs + workers
  while pending > 0 do
    local r = channel.select{ results:case_receive(), finished:case_receive(), deadline:case_receive() }
    if r.channel == deadline then
      return nil, errors.new{message = string.format("the pool did not finish within %s (%d of %d jobs done)", limit, #report.results, #inputs), kind = errors.TIMEOUT}
    elseif r.channel == results then
      local result = r.value :: Result
      report.results[result.id] = result
    else
      report.handled[r.value.worker] = r.value.count
    end
    pending = pending - 1
  end
  report.elapsed_ms = time.now():sub(started):milliseconds()
  return report
end

return pool
