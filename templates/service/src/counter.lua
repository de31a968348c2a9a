-- The counter service: answers "hit" with the new count and "count" with the current one. The count
-- lives in the store, so when this process crashes and is restarted it carries on where it was.
local rpc = require("rpc")

type Request = {ref: integer, reply_to: string}

local KEY = "counter.hits"

-- The count saved in the store; 0 the first time.
local function load_count(): (integer?, error?)
  local saved, err = rpc.call("store", "get", {key = KEY}, "5s")
  if saved ~= nil then
    return saved
  elseif errors.is(err, errors.NOT_FOUND) then
    return 0
  end
  return nil, err
end

local function main()
  local count, err = load_count()
  if not count then
    -- Without the store there is nothing to count into: fail, and let the supervisor retry.
    return nil, err
  end
  local ok, reg_err = process.registry.register("counter")
  if not ok then
    return nil, reg_err
  end
  local inbox = process.inbox()
  local events = process.events()
  while true do
    local r = channel.select{ inbox:case_receive(), events:case_receive() }
    if r.channel == events then
      if r.value.kind == process.event.CANCEL then
        return "stopped at " .. count
      end
    else
      local req = r.value:payload():data() :: Request
      -- A malformed request is a bug in the caller: crash, and let the runtime restart the counter.
      if type(req) ~= "table" or type(req.reply_to) ~= "string" then
        error("malformed request: " .. tostring(req))
      end
      if r.value:topic() == "hit" then
        local saved, save_err = rpc.call("store", "put", {key = KEY, value = count + 1}, "5s")
        if not saved then
          rpc.reply(req, nil, save_err)
          return nil, save_err
        end
        count = count + 1
      end
      rpc.reply(req, count)
    end
  end
end

return { main = main }
