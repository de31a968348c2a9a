-- The worker's client: find it by its registered name and ask it, each wait bounded by a deadline.
local time = require("time")

local client = {}

-- The worker's PID, waiting up to `limit` while it starts or restarts.
function client.find(limit: string): (string?, error?)
  local deadline = time.after(limit)
  while true do
    local pid = process.registry.lookup("worker")
    if pid then
      return pid
    end
    local r = channel.select{ deadline:case_receive(), time.after("10ms"):case_receive() }
    if r.channel == deadline then
      return nil, errors.new{message = "no worker registered within " .. limit, kind = errors.NOT_FOUND}
    end
  end
end

-- Asks the worker to greet `name`; the greeting, or an error after `limit`.
function client.greet(name: string, limit: string): (string?, error?)
  local pid, err = client.find(limit)
  if not pid then
    return nil, err
  end
  process.send(pid, "greet", {name = name, reply_to = process.pid()})
  local inbox = process.inbox()
  local r = channel.select{ inbox:case_receive(), time.after(limit):case_receive() }
  if r.channel ~= inbox then
    return nil, errors.new{message = "the worker did not answer within " .. limit, kind = errors.TIMEOUT}
  end
  return r.value:payload():data()
end

return client
