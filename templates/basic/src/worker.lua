-- The worker service: registers the name "worker" and answers every "greet" request.
type Request = {name: string, reply_to: string}

local function main()
  local ok, err = process.registry.register("worker")
  if not ok then
    return nil, err
  end
  local inbox = process.inbox()
  local events = process.events()
  while true do
    local r = channel.select{ inbox:case_receive(), events:case_receive() }
    if r.channel == events then
      -- The runtime cancels services when it shuts down: end cleanly.
      if r.value.kind == process.event.CANCEL then
        return "stopped"
      end
    elseif r.value:topic() == "greet" then
      local req = r.value:payload():data() :: Request
      -- A malformed request is a bug in the caller: crash, and let the runtime start a fresh worker.
      if type(req) ~= "table" or type(req.name) ~= "string" or type(req.reply_to) ~= "string" then
        error("malformed greet request: " .. tostring(req))
      end
      process.send(req.reply_to, "greeting", "Hello, " .. req.name .. "!")
    end
  end
end

return { main = main }
