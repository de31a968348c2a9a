-- The ping service: finds "pong" by name and pings it forever, one ping per period.
local time = require("time")

type Pong = {seq: integer, by: string}

-- Waits until a process has registered `name` (services start in parallel with their dependents'
-- first steps), up to `limit`.
local function lookup_with_deadline(name: string, limit: string): (string?, any)
  local deadline = time.after(limit)
  while true do
    local pid = process.registry.lookup(name)
    if pid then
      return pid
    end
    local r = channel.select{ deadline:case_receive(), time.after("10ms"):case_receive() }
    if r.channel == deadline then
      return nil, errors.new{message = "no process registered as " .. name, kind = errors.NOT_FOUND}
    end
  end
end

local function main(period_ms: integer)
  local pong, err = lookup_with_deadline("pong", "5s")
  if not pong then
    return nil, err
  end
  local inbox = process.inbox()
  local events = process.events()
  local seq = 0
  while true do
    seq = seq + 1
    process.send(pong, "ping", {seq = seq, reply_to = process.pid()})
    local r = channel.select{ inbox:case_receive(), events:case_receive(), time.after("3s"):case_receive() }
    if r.channel == events and r.value.kind == process.event.CANCEL then
      return "stopped after " .. seq - 1 .. " pings"
    elseif r.channel ~= inbox then
      return nil, errors.new{message = "pong did not answer ping " .. seq .. " within 3s", kind = errors.TIMEOUT}
    end
    local answer = r.value:payload():data() :: Pong
    print(string.format("ping %d -> pong %d from %s", seq, answer.seq, answer.by))
    -- Sleep, but wake for a CANCEL.
    local wake = channel.select{ events:case_receive(), time.after(period_ms * time.MILLISECOND):case_receive() }
    if wake.channel == events and wake.value.kind == process.event.CANCEL then
      return "stopped after " .. seq .. " pings"
    end
  end
end

return { main = main, lookup_with_deadline = lookup_with_deadline }
