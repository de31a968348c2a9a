-- The pong service (started by `wippy test` like every auto_start service) answers a ping with a
-- table payload within 3 seconds.
local time = require("time")

local function ping_gets_pong()
  local deadline = time.after("5s")
  local pong = process.registry.lookup("pong")
  while not pong do
    local r = channel.select{ deadline:case_receive(), time.after("10ms"):case_receive() }
    if r.channel == deadline then
      error("no process registered as pong within 5s")
    end
    pong = process.registry.lookup("pong")
  end

  process.send(pong, "ping", {seq = 42, reply_to = process.pid()})
  local inbox = process.inbox()
  local r = channel.select{ inbox:case_receive(), time.after("3s"):case_receive() }
  if r.channel ~= inbox then
    error("no pong within 3s")
  end
  local answer = r.value:payload():data()
  if answer.seq ~= 42 then
    error("pong answered seq " .. tostring(answer.seq) .. ", expected 42")
  end
  if answer.by ~= pong then
    error("pong came from " .. tostring(answer.by) .. ", expected " .. pong)
  end
  return true
end

return { ping_gets_pong = ping_gets_pong }
