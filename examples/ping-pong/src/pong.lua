-- The pong service: registers its name, then answers each ping with a pong carrying the same seq.
type Ping = {seq: integer, reply_to: string}

local function main()
  local ok, err = process.registry.register("pong")
  if not ok then
    return nil, err
  end
  local inbox = process.inbox()
  local events = process.events()
  while true do
    local r = channel.select{ inbox:case_receive(), events:case_receive() }
    if r.channel == events then
      if r.value.kind == process.event.CANCEL then
        return "stopped"
      end
    elseif r.value:topic() == "ping" then
      local ping = r.value:payload():data() :: Ping
      process.send(ping.reply_to, "pong", {seq = ping.seq, by = process.pid()})
    end
  end
end

return { main = main }
