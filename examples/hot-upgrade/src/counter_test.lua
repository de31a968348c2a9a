-- The counter upgraded while increments are queued behind the request: it keeps its count,
-- PID, loses no message, and its monitor sees no EXIT.
local time = require("time")

local function counter_keeps_its_count_across_an_upgrade()
  local pid = process.spawn_monitored("app:counter", "app:processes")
  for i = 1, 10 do process.send(pid, "inc", i) end
  process.send(pid, "upgrade")
  for i = 11, 20 do process.send(pid, "inc", i) end
  process.send(pid, "get")
  local r = channel.select({ process.inbox():case_receive(), time.after("5s"):case_receive() })
  assert(r.channel == process.inbox(), "no answer from the upgraded counter within 5s")
  local got = r.value:payload():data()
  assert(got.count == 20, "count after the upgrade: expected 20, got " .. tostring(got.count))
  assert(got.gaps == 0, "lost messages: " .. tostring(got.gaps))
  assert(got.pid == pid, "PID changed across the upgrade: " .. tostring(got.pid))
  local ev = channel.select({ process.events():case_receive(), time.after("100ms"):case_receive() })
  assert(ev.channel ~= process.events(), "the monitor saw an event: " .. tostring(ev.value and ev.value.kind))
  process.terminate(pid)
  return true
end

return { counter_keeps_its_count_across_an_upgrade = counter_keeps_its_count_across_an_upgrade }
