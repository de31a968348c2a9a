-- The store service: an in-memory key-value map behind the registered name "store".
local rpc = require("rpc")

type Request = {ref: integer, reply_to: string, key: string, value: any?}

local function main()
  local ok, err = process.registry.register("store")
  if not ok then
    return nil, err
  end
  local data: {[string]: any} = {}
  local inbox = process.inbox()
  local events = process.events()
  while true do
    local r = channel.select{ inbox:case_receive(), events:case_receive() }
    if r.channel == events then
      if r.value.kind == process.event.CANCEL then
        return "stopped"
      end
    else
      local op = r.value:topic()
      local req = r.value:payload():data() :: Request
      if op == "put" then
        data[req.key] = req.value
        rpc.reply(req, true)
      elseif op == "get" then
        if data[req.key] == nil then
          rpc.reply(req, nil, errors.new{message = "no key " .. req.key, kind = errors.NOT_FOUND})
        else
          rpc.reply(req, data[req.key])
        end
      else
        rpc.reply(req, nil, errors.new{message = "unknown operation " .. op, kind = errors.INVALID})
      end
    end
  end
end

return { main = main }
