-- A process that answers every "greet" message with a greeting for the name it carries.
type Request = {name: string, reply_to: string}

local function main()
  local inbox = process.inbox()
  while true do
    local msg = inbox:receive()
    local req = msg:payload():data() :: Request
    process.send(req.reply_to, "greeting", "Hello, " .. req.name .. "! (from " .. process.pid() .. ")")
  end
end

return { main = main }
