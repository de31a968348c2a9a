-- Tests of the Lua supervisor and of the runtime's service supervision.
local helpers = require("helpers")

local function must(value, err)
  if value == nil then
    error(err, 2)
  end
  return value
end

-- Starts a supervisor of `children` reporting to this process; its PID and the children's PIDs.
local function start(children: {string}, max_restarts: integer): (string, {[string]: string})
  process.listen("supervisor")
  local sup = must(process.spawn_monitored("app:supervisor", "app:processes", {
    children = children, max_restarts = max_restarts, period_ms = 10000, report_to = process.pid(),
  }))
  local pids = {}
  for _ = 1, #children do
    local r = must(helpers.next_report("supervisor", "5s"))
    if r.event ~= "started" then
      error("expected a start report, got " .. tostring(r.event))
    end
    pids[r.name] = r.pid
  end
  return sup, pids
end

-- A child that crashes is started again under a new PID, and the new one works.
local function restarts_a_crashed_child()
  local sup, pids = start({"t1.a", "t1.b"}, 3)
  process.send(pids["t1.a"], "job", {n = -1, reply_to = process.pid()})
  local r = must(helpers.next_report("supervisor", "5s"))
  if r.event ~= "restarted" or r.name ~= "t1.a" or r.old ~= pids["t1.a"] or r.pid == pids["t1.a"] then
    error("unexpected report: " .. tostring(r.event) .. " " .. tostring(r.name))
  end
  if not string.find(r.reason, "t1.a cannot square -1", 1, true) then
    error("the reason does not carry the crash: " .. tostring(r.reason))
  end
  local answer = must(helpers.square(r.pid, 5, "5s"))
  if answer.square ~= 25 then
    error("the restarted child answered " .. tostring(answer.square))
  end
  -- The sibling was left alone (one-for-one).
  if must(helpers.owner("t1.b", nil, "5s")) ~= pids["t1.b"] then
    error("the sibling was restarted too")
  end
  process.terminate(sup)
  return true
end

-- A child that returns normally is reported and not restarted.
local function does_not_restart_a_normal_exit()
  local sup = start({"t2.a"}, 3)
  process.send(must(helpers.owner("t2.a", nil, "5s")), "stop")
  local r = must(helpers.next_report("supervisor", "5s"))
  if r.event ~= "exited" or r.name ~= "t2.a" then
    error("expected an exit report, got " .. tostring(r.event))
  end
  if not helpers.gone("t2.a", "5s") then
    error("t2.a is registered again")
  end
  process.terminate(sup)
  return true
end

-- Past max_restarts the supervisor crashes, and its links end every other child.
local function gives_up_and_takes_its_children_down()
  local sup, pids = start({"t3.a", "t3.b"}, 2)
  local pid = pids["t3.a"]
  local reports = {}
  for _ = 1, 3 do
    process.send(pid, "job", {n = -1, reply_to = process.pid()})
    local r = must(helpers.next_report("supervisor", "5s"))
    table.insert(reports, r.event)
    pid = r.pid
  end
  if table.concat(reports, ",") ~= "restarted,restarted,gave_up" then
    error("reports: " .. table.concat(reports, ","))
  end
  local exit = must(helpers.exit_of(sup, "5s"))
  if not exit.result.error or not string.find(tostring(exit.result.error), "too many restarts", 1, true) then
    error("the supervisor did not fail with the reason: " .. tostring(exit.result.error))
  end
  for _, name in ipairs({"t3.a", "t3.b"}) do
    if not helpers.gone(name, "5s") then
      error(name .. " outlived its supervisor")
    end
  end
  return true
end

-- The `flaky` service crashes and the runtime starts it again under the same name.
local function service_is_restarted_by_the_runtime()
  local before = must(helpers.owner("flaky", nil, "5s"))
  process.send(before, "job", {n = -1, reply_to = process.pid()})
  local after = must(helpers.owner("flaky", before, "5s"))
  local answer = must(helpers.square(after, 6, "5s"))
  if answer.square ~= 36 then
    error("the restarted service answered " .. tostring(answer.square))
  end
  return true
end

return {
  restarts_a_crashed_child = restarts_a_crashed_child,
  does_not_restart_a_normal_exit = does_not_restart_a_normal_exit,
  gives_up_and_takes_its_children_down = gives_up_and_takes_its_children_down,
  service_is_restarted_by_the_runtime = service_is_restarted_by_the_runtime,
}
