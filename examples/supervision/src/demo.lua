-- The `demo` command: crash supervised workers and watch them come back, first under the Lua
-- supervisor, then under the runtime's service supervision; finally crash one worker so often
-- that its supervisor gives up and takes the others down with it.
local io = require("io")
local helpers = require("helpers")

local function must(value, err)
  if value == nil then
    error(err, 2)
  end
  return value
end

local function main(): integer
  -- Listen before anything can report, so no report lands in the inbox instead.
  process.listen("supervisor")
  local sup = must(process.spawn_monitored("app:supervisor", "app:processes", {
    children = {"alpha", "beta", "gamma"},
    max_restarts = 3,
    period_ms = 5000,
    report_to = process.pid(),
  }))
  local pids = {}
  for _ = 1, 3 do
    local r = must(helpers.next_report("supervisor", "5s"))
    pids[r.name] = r.pid
  end
  io.print(string.format("supervisor %s started alpha %s, beta %s, gamma %s", sup, pids.alpha, pids.beta, pids.gamma))

  local a = must(helpers.square(pids.alpha, 3, "5s"))
  io.print(string.format("alpha: %d squared is %d", a.n, a.square))

  io.print("sending beta a negative number...")
  process.send(pids.beta, "job", {n = -1, reply_to = process.pid()})
  local r = must(helpers.next_report("supervisor", "5s"))
  io.print(string.format("supervisor: %s crashed (%s); restarted as %s (restart %d)", r.name, r.reason, r.pid, r.count))
  local b = must(helpers.square(r.pid, 4, "5s"))
  io.print(string.format("beta: %d squared is %d, from the new process %s", b.n, b.square, b.pid))

  -- The runtime supervises the `flaky` service the same way, with backoff.
  local flaky = must(helpers.owner("flaky", nil, "5s"))
  io.print("sending the flaky service " .. flaky .. " a negative number...")
  process.send(flaky, "job", {n = -2, reply_to = process.pid()})
  local again = must(helpers.owner("flaky", flaky, "5s"))
  io.print("the runtime restarted flaky as " .. again)

  io.print("crashing alpha over and over...")
  local alpha = pids.alpha
  while true do
    process.send(alpha, "job", {n = -3, reply_to = process.pid()})
    r = must(helpers.next_report("supervisor", "5s"))
    if r.event == "gave_up" then
      io.print("supervisor: " .. r.reason)
      break
    end
    io.print(string.format("supervisor: restarted alpha as %s (restart %d)", r.pid, r.count))
    alpha = r.pid
  end
  local exit = must(helpers.exit_of(sup, "5s"))
  io.print("supervisor exited: " .. tostring(exit.result.error))
  io.print("alpha stays down: " .. (helpers.gone("alpha", "5s") and "not registered" or "STILL REGISTERED"))
  for _, name in ipairs({"beta", "gamma"}) do
    local fate = helpers.gone(name, "5s") and "gone: its link to the supervisor took it down" or "STILL RUNNING"
    io.print(string.format("%s is %s", name, fate))
  end
  return 0
end

return { main = main }
