-- The restart workload's supervisor restarts its crashing child exactly N times, then reports N.
local function restarts_the_child_n_times()
  local time = require("time")
  local sup = process.spawn_monitored("bench:restart_supervisor", "bench:processes", process.pid(), 50)
  local r = channel.select{ process.inbox():case_receive(), time.after("10s"):case_receive() }
  if r.channel ~= process.inbox() then
    error("no report from the supervisor within 10s")
  end
  local restarts = r.value:payload():data()
  if restarts ~= 50 then
    error("expected 50 restarts, got " .. tostring(restarts))
  end
  local ev = channel.select{ process.events():case_receive(), time.after("10s"):case_receive() }
  if ev.channel ~= process.events() or ev.value.from ~= sup or ev.value.result.error then
    error("the supervisor did not end normally")
  end
  return true
end

return { restarts_the_child_n_times = restarts_the_child_n_times }
