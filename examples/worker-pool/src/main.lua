-- The `pool` command: JOBS jobs on WORKERS coroutines. Each job waits WAIT_MS (standing in for
-- I/O: a blocking call suspends only its worker) and then counts the Collatz steps of its number.
local io = require("io")
local time = require("time")
local pool = require("pool")

-- Steps to reach 1 from n by n/2 (even) or 3n+1 (odd).
local function collatz_steps(n: integer): integer
  local steps = 0
  while n ~= 1 do
    n = n % 2 == 0 and n // 2 or 3 * n + 1
    steps = steps + 1
  end
  return steps
end

local function main(): integer
  local args = io.args()
  local jobs = integer(args[1] or 12)
  local workers = integer(args[2] or 4)
  local wait_ms = integer(args[3] or 50)

  local inputs = {}
  for i = 1, jobs do
    inputs[i] = 20 + i
  end
  local report, err = pool.run(inputs, workers, function(n: integer): integer
    time.sleep(wait_ms * time.MILLISECOND)
    return collatz_steps(n)
  end, "60s")
  if not report then
    io.print("error: " .. tostring(err))
    return 1
  end

  for _, r in ipairs(report.results) do
    io.print(string.format("job %2d: collatz(%d) = %3d steps  (worker %d)", r.id, r.input, r.value, r.worker))
  end
  local counts = {}
  for w = 1, workers do
    counts[w] = string.format("w%d=%d", w, report.handled[w] or 0)
  end
  io.print("jobs per worker: " .. table.concat(counts, " "))
  io.print(string.format("%d jobs x %d ms of waiting on %d workers took %.0f ms (one worker: at least %d ms)",
    jobs, wait_ms, workers, report.elapsed_ms, jobs * wait_ms))
  return 0
end

return { main = main }
