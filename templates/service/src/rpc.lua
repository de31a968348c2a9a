-- Request/reply over messages: find a service by its registered name, call it and answer calls,
-- every wait bounded by a deadline.
--
-- A request is a message whose topic is the operation and whose payload is a table with `ref`
-- and `reply_to`; the answer comes back on the topic "rpc.reply". Replies are read from their own
-- `process.listen` channel, so a service that calls another one while serving never mixes the
-- reply up with the requests waiting in its inbox.
local time = require("time")

type Request = {ref: integer, reply_to: string}
type Reply = {ref: integer, value: any?, error: string?, kind: string?}

local REPLY_TOPIC = "rpc.reply"

local rpc = {}
local last_ref = 0

-- The PID registered as `name`, waiting up to `limit` while that service starts or restarts.
function rpc.lookup(name: string, limit: string): (string?, error?)
  local deadline = time.after(limit)
  while true do
    local pid = process.registry.lookup(name)
    if pid then
      return pid
    end
    local r = channel.select{ deadline:case_receive(), time.after("10ms"):case_receive() }
    if r.channel == deadline then
      return nil, errors.new{message = "no process registered as " .. name .. " within " .. limit, kind = errors.NOT_FOUND}
    end
  end
end

-- Calls operation `op` of the service registered as `name` with the fields of `args`; its answer,
-- or `nil, err` (the service's error, or TIMEOUT after `limit`).
function rpc.call(name: string, op: string, args: {[string]: any}, limit: string): (any, error?)
  local pid, err = rpc.lookup(name, limit)
  if not pid then
    return nil, err
  end
  local replies = process.listen(REPLY_TOPIC)
  last_ref = last_ref + 1
  local ref = last_ref
  args.ref = ref
  args.reply_to = process.pid()
  process.send(pid, op, args)
  local deadline = time.after(limit)
  while true do
    local r = channel.select{ replies:case_receive(), deadline:case_receive() }
    if r.channel == deadline then
      return nil, errors.new{message = name .. " did not answer " .. op .. " within " .. limit, kind = errors.TIMEOUT}
    end
    local reply = r.value :: Reply
    -- Other refs are late answers to calls that already timed out.
    if reply.ref == ref then
      if reply.error then
        return nil, errors.new{message = reply.error, kind = reply.kind}
      end
      return reply.value
    end
  end
end

-- Answers `request` with `value`, or with `err` when it is given.
function rpc.reply(request: Request, value: any, err: error?)
  if err then
    process.send(request.reply_to, REPLY_TOPIC, {ref = request.ref, error = err:message(), kind = err:kind()})
  else
    process.send(request.reply_to, REPLY_TOPIC, {ref = request.ref, value = value})
  end
end

return rpc
