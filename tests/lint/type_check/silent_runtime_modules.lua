local time = require("time")
local function ping(pid: string): boolean
  local ok = process.send(pid, "ping", 1)
  time.sleep("10ms")
  return ok == true
end
return ping
