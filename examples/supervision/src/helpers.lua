-- Waiting with deadlines: the next supervisor report, a name's (new) owner, a job's answer.
local time = require("time")

local helpers = {}

-- The next message on `topic` (its payload), or an error after `limit`. Other topics are kept
-- out of the way by listening to this one only.
function helpers.next_report(topic: string, limit: string): ({[string]: any}?, error?)
  local ch = process.listen(topic)
  local r = channel.select{ ch:case_receive(), time.after(limit):case_receive() }
  if r.channel ~= ch then
    return nil, errors.new{message = "no " .. topic .. " message within " .. limit, kind = errors.TIMEOUT}
  end
  return r.value
end

-- The PID registered as `name` once it differs from `old` (nil: any), or an error after `limit`.
function helpers.owner(name: string, old: string?, limit: string): (string?, error?)
  local deadline = time.after(limit)
  while true do
    local pid = process.registry.lookup(name)
    if pid and pid ~= old then
      return pid
    end
    local r = channel.select{ deadline:case_receive(), time.after("10ms"):case_receive() }
    if r.channel == deadline then
      return nil, errors.new{message = "no new process registered as " .. name .. " within " .. limit, kind = errors.TIMEOUT}
    end
  end
end

-- True once nothing is registered as `name`, false after `limit`.
function helpers.gone(name: string, limit: string): boolean
  local deadline = time.after(limit)
  while process.registry.lookup(name) do
    local r = channel.select{ deadline:case_receive(), time.after("10ms"):case_receive() }
    if r.channel == deadline then
      return false
    end
  end
  return true
end

-- Sends job `n` to `pid` and waits up to `limit` for the answer.
function helpers.square(pid: string, n: integer, limit: string): ({[string]: any}?, error?)
  local answers = process.listen("result")
  process.send(pid, "job", {n = n, reply_to = process.pid()})
  local r = channel.select{ answers:case_receive(), time.after(limit):case_receive() }
  if r.channel ~= answers then
    return nil, errors.new{message = "no answer to job " .. n .. " within " .. limit, kind = errors.TIMEOUT}
  end
  return r.value
end

-- The next EXIT event about `pid` (other events are skipped), or an error after `limit`.
function helpers.exit_of(pid: string, limit: string): ({[string]: any}?, error?)
  local events = process.events()
  local deadline = time.after(limit)
  while true do
    local r = channel.select{ events:case_receive(), deadline:case_receive() }
    if r.channel == deadline then
      return nil, errors.new{message = "no EXIT from " .. pid .. " within " .. limit, kind = errors.TIMEOUT}
    end
    if r.value.kind == process.event.EXIT and r.value.from == pid then
      return r.value
    end
  end
end

return helpers
