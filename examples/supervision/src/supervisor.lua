-- A one-for-one supervisor: starts each child linked and monitored, restarts a child that crashes,
-- lets a child that returns normally go, and gives up when restarts come too often. Giving up is
-- a crash, so the links take the remaining children down too (Erlang/OTP's restart intensity).
local time = require("time")

export type Spec = {
  children: {string},    -- child names; each runs app:worker with its name
  max_restarts: integer, -- more restarts than this within period_ms: give up
  period_ms: integer,
  report_to: string?,    -- PID told about each start, restart, exit and the give-up
}

local WORKER = "app:worker"
local HOST = "app:processes"

local function report(spec: Spec, event: string, fields: {[string]: any})
  if spec.report_to then
    fields.event = event
    process.send(spec.report_to, "supervisor", fields)
  end
end

local function main(spec: Spec)
  -- Trap links: a crashing child must not take the supervisor down with it.
  process.set_options({trap_links = true})
  local names: {[string]: string} = {}   -- child PID -> name

  local function start(name: string): (string?, error?)
    local pid, err = process.spawn_linked_monitored(WORKER, HOST, name)
    if pid then
      names[pid] = name
    end
    return pid, err
  end

  for _, name in ipairs(spec.children) do
    local pid, err = start(name)
    if not pid then
      return nil, err
    end
    report(spec, "started", {name = name, pid = pid})
  end

  local restarts: {number} = {}  -- when (ms) each recent restart happened
  local events = process.events()
  while true do
    local ev = events:receive()
    if ev.kind == process.event.CANCEL then
      for pid in pairs(names) do
        process.terminate(pid)
      end
      return "stopped"
    elseif ev.kind == process.event.EXIT and names[ev.from] then
      local name = names[ev.from]
      names[ev.from] = nil
      local crash = ev.result.error
      if crash == nil then
        report(spec, "exited", {name = name, pid = ev.from})
      else
        local now = time.now():unix_nano() / 1e6
        local recent = {}
        for _, at in ipairs(restarts) do
          if now - at < spec.period_ms then
            table.insert(recent, at)
          end
        end
        restarts = recent
        if #restarts >= spec.max_restarts then
          local why = string.format("too many restarts (%d within %d ms); %s crashed again: %s",
            #restarts, spec.period_ms, name, tostring(crash))
          report(spec, "gave_up", {name = name, reason = why})
          return nil, errors.new{message = why, kind = errors.INTERNAL}
        end
        table.insert(restarts, now)
        local pid, err = start(name)
        if not pid then
          return nil, err
        end
        report(spec, "restarted", {name = name, old = ev.from, pid = pid, reason = tostring(crash), count = #restarts})
      end
    end
    -- LINK_DOWN events repeat what the EXIT events say: nothing to do.
  end
end

return { main = main }
