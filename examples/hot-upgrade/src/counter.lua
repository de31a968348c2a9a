-- The counter. Edit VERSION (or the report line) and save while `wippy dev` runs: the running
-- counter gets an OUTDATED event, calls process.upgrade with its state, and the new code goes on
-- counting in the same process: same PID, same name, no message lost, no EXIT seen by monitors.
local VERSION = 1
-- Report every REPORT_EVERY increments.
local REPORT_EVERY = 50

local function report(state)
  print(string.format("counter version=%d pid=%s count=%d gaps=%d", VERSION, process.pid(), state.count, state.gaps))
end

-- state: carried over from the previous version (nil on the first start):
-- count of `inc` messages, the number of the last one (to spot a lost message), gaps seen.
local function main(state)
  state = state or { count = 0, last = 0, gaps = 0 }
  if process.registry.lookup("counter") ~= process.pid() then
    process.registry.register("counter")
  end
  process.set_options({ upgradable = true })
  report(state)
  local inbox, events = process.inbox(), process.events()
  while true do
    local r = channel.select({ inbox:case_receive(), events:case_receive() })
    if r.channel == inbox then
      local msg = r.value
      local topic = msg:topic()
      if topic == "inc" then
        local n = msg:payload():data()
        -- (A restarted clicker numbers from 1 again.)
        if n ~= state.last + 1 and n ~= 1 then
          state.gaps = state.gaps + 1
          print(string.format("counter: GAP expected inc %d, got %d", state.last + 1, n))
        end
        state.last = n
        state.count = state.count + 1
        if state.count % REPORT_EVERY == 0 then
          report(state)
        end
      elseif topic == "get" then
        process.send(msg:from(), "count",
          { count = state.count, gaps = state.gaps, version = VERSION, pid = process.pid() })
      elseif topic == "upgrade" then
        -- An upgrade on request (what OUTDATED does, for tests and operators).
        process.upgrade(nil, state)
      end
    elseif r.value.kind == process.event.OUTDATED then
      print("counter: new code for " .. table.concat(r.value.sources, ", ") .. "; upgrading")
      process.upgrade(nil, state)
    elseif r.value.kind == process.event.CANCEL then
      return state.count
    end
  end
end

return { main = main }
